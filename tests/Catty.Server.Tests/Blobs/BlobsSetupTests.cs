using Catty.Server.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Catty.Server.Tests.Blobs;

public sealed class BlobsSetupTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("catty-data-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task TheDefaultIsAFolderUnderTheDataDirOpenedAtStart()
    {
        var leftover = Path.Combine(_dataDir, "blobs", "downloads", ".a.tar.gz.0011223344556677.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        await File.WriteAllTextAsync(leftover, "interrupted");

        using var host = await StartAsync(("Catty:DataDir", _dataDir));

        var store = Assert.IsType<FolderBlobStore>(host.Services.GetRequiredService<IBlobStore>());
        Assert.Equal(Path.Combine(_dataDir, "blobs"), store.Root);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task AnExplicitPathWins()
    {
        var path = Path.Combine(_dataDir, "elsewhere");

        using var host = await StartAsync(("Catty:DataDir", _dataDir), ("Catty:Blobs:Provider", "Folder"), ("Catty:Blobs:Path", path));

        Assert.Equal(path, Assert.IsType<FolderBlobStore>(host.Services.GetRequiredService<IBlobStore>()).Root);
        Assert.True(Directory.Exists(path));
    }

    [Theory]
    [InlineData("Catty:Blobs:Provider=azure", "Catty:Blobs:Provider must be 'folder' or 's3', got 'azure'")]
    [InlineData("Catty:Blobs:Provider=folder", "Catty:Blobs:Path is required")]
    [InlineData("Catty:Blobs:Path=relative/blobs", "Catty:Blobs:Path must be an absolute path")]
    [InlineData("Catty:Blobs:Provider=s3", "Catty:Blobs:Bucket is required")]
    [InlineData("Catty:Blobs:Provider=s3;Catty:Blobs:Bucket=Snapshots_Bucket", "is not a valid bucket name")]
    [InlineData("Catty:Blobs:Provider=s3;Catty:Blobs:Bucket=snapshots;Catty:Blobs:Prefix=../up", "Catty:Blobs:Prefix '../up'")]
    [InlineData("Catty:Blobs:Provider=s3;Catty:Blobs:Bucket=snapshots;Catty:Blobs:ServiceUrl=ftp://store", "Catty:Blobs:ServiceUrl must be an absolute http or https URL")]
    [InlineData("Catty:Blobs:Provider=s3;Catty:Blobs:Bucket=snapshots;Catty:Blobs:AccessKey=AKIA", "must be set together")]
    [InlineData("Catty:Blobs:Path=/var/catty/blobs;Catty:Blobs:DownloadSigningKey=c2hvcnQ=", "Catty:Blobs:DownloadSigningKey must be base64")]
    public async Task BadSettingsStopTheStartWithAClearMessage(string settings, string message)
    {
        var pairs = settings.Split(';').Select(pair => pair.Split('=', 2)).Select(kv => (kv[0], kv[1])).ToArray();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(pairs));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllProblemsAreReportedAtOnce()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(
            ("Catty:Blobs:Provider", "s3"), ("Catty:Blobs:SecretKey", "x"), ("Catty:Blobs:DownloadSigningKey", "!")));

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public async Task ServersWithTheSameSigningKeyAcceptEachOthersLinks()
    {
        var key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());
        using var first = await StartAsync(("Catty:DataDir", _dataDir), ("Catty:Blobs:DownloadSigningKey", key));
        using var second = await StartAsync(("Catty:DataDir", _dataDir), ("Catty:Blobs:DownloadSigningKey", key));
        using var unkeyed = await StartAsync(("Catty:DataDir", _dataDir));

        var query = first.Services.GetRequiredService<BlobDownloadSigner>().Sign("downloads/a.tar.gz", TimeSpan.FromMinutes(5));
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + query);
        string expires = values[BlobDownloadSigner.ExpiresParameter]!, sig = values[BlobDownloadSigner.SignatureParameter]!;

        Assert.True(second.Services.GetRequiredService<BlobDownloadSigner>().TryVerify("downloads/a.tar.gz", expires, sig));
        Assert.False(unkeyed.Services.GetRequiredService<BlobDownloadSigner>().TryVerify("downloads/a.tar.gz", expires, sig));
    }

    internal static async Task<IHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddBlobs(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
