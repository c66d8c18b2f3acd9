using System.Security.Cryptography;
using System.Text;
using Catty.Server.Blobs;

namespace Catty.Server.Tests.Blobs;

/// <summary>
/// What every <see cref="IBlobStore"/> must do, run against each implementation by a subclass that says
/// how to make a fresh, empty store for each test.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    private protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _timeout = new(Deadline);

    private IBlobStore? _store;

    private protected IBlobStore Store => _store ?? throw new InvalidOperationException("The store is not open yet.");

    /// <summary>Cancelled when a test runs far longer than it should, so a hang fails instead of stalling the run.</summary>
    private protected CancellationToken Ct => _timeout.Token;

    public static TheoryData<string> BadKeys() =>
    [
        "", "/blobs/x", "blobs//x", "blobs/x/", "blobs/../x", "..", ".", "blobs/./x", "blobs/.hidden",
        "blobs\\x", "blobs/a b", "blobs/caf\u00e9", "blobs/x\0y", "blobs/x\ny", "blobs/x?y", "blobs/x%2f",
        new string('a', BlobKey.MaxLength + 1),
    ];

    public static TheoryData<string> BadPrefixes() => ["/", "/blobs", "blobs//", "../", "blobs/../", "blobs\\", "a b", ".tmp"];

    /// <summary>Opens a fresh, empty store.</summary>
    private protected abstract Task<IBlobStore> OpenStoreAsync();

    /// <summary>Releases what <see cref="OpenStoreAsync"/> made.</summary>
    private protected abstract Task CloseStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        await CloseStoreAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task PutThenOpenReadReturnsTheSameBytes()
    {
        await PutTextAsync("snapshots/ses_1/1.json", "{\"files\":[]}");

        Assert.Equal("{\"files\":[]}", await ReadTextAsync("snapshots/ses_1/1.json"));
    }

    [Fact]
    public async Task EmptyObjectRoundTrips()
    {
        await Store.PutAsync("blobs/empty", new MemoryStream(), Ct);

        Assert.True(await Store.ExistsAsync("blobs/empty", Ct));
        Assert.Equal(0, await Store.GetSizeAsync("blobs/empty", Ct));
        Assert.Equal("", await ReadTextAsync("blobs/empty"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public async Task UnflushedPutsAreReadableAtOnceAndAFlushKeepsThem(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Store.PutUnflushedAsync($"blobs/sha256/{i:D2}/blob{i}.gz", new MemoryStream(Encoding.UTF8.GetBytes($"content {i:D2}")), Ct);
        }

        Assert.Equal("content 01", await ReadTextAsync("blobs/sha256/01/blob1.gz"));
        await Store.PutUnflushedAsync("blobs/sha256/00/blob0.gz", new MemoryStream("replaced"u8.ToArray()), Ct);
        await Store.FlushAsync(Ct);
        await Store.FlushAsync(Ct);

        Assert.Equal("replaced", await ReadTextAsync("blobs/sha256/00/blob0.gz"));
        Assert.Equal($"content {count - 1:D2}", await ReadTextAsync($"blobs/sha256/{count - 1:D2}/blob{count - 1}.gz"));
        Assert.Equal(10, await Store.GetSizeAsync($"blobs/sha256/{count - 1:D2}/blob{count - 1}.gz", Ct));
    }

    [Fact]
    public async Task MissingKeyReadsAsNothing()
    {
        Assert.Null(await Store.OpenReadAsync("blobs/sha256/ab/missing", Ct));
        Assert.False(await Store.ExistsAsync("blobs/sha256/ab/missing", Ct));
        Assert.Null(await Store.GetSizeAsync("blobs/sha256/ab/missing", Ct));
    }

    [Fact]
    public async Task ExistsAndSizeFollowPutAndDelete()
    {
        await PutTextAsync("downloads/snap_1.tar.gz", "12345");
        Assert.True(await Store.ExistsAsync("downloads/snap_1.tar.gz", Ct));
        Assert.Equal(5, await Store.GetSizeAsync("downloads/snap_1.tar.gz", Ct));

        await Store.DeleteAsync("downloads/snap_1.tar.gz", Ct);

        Assert.False(await Store.ExistsAsync("downloads/snap_1.tar.gz", Ct));
        Assert.Null(await Store.GetSizeAsync("downloads/snap_1.tar.gz", Ct));
        Assert.Null(await Store.OpenReadAsync("downloads/snap_1.tar.gz", Ct));
    }

    [Fact]
    public async Task OverwriteReplacesContentAndSize()
    {
        await PutTextAsync("snapshots/ses_1/latest.json", "a much longer first version");
        await PutTextAsync("snapshots/ses_1/latest.json", "v2");

        Assert.Equal("v2", await ReadTextAsync("snapshots/ses_1/latest.json"));
        Assert.Equal(2, await Store.GetSizeAsync("snapshots/ses_1/latest.json", Ct));
    }

    [Fact]
    public async Task DeletingAMissingKeyIsNotAnError()
    {
        await Store.DeleteAsync("never/written/here", Ct);
        await PutTextAsync("downloads/a.tar.gz", "x");
        await Store.DeleteAsync("downloads/b.tar.gz", Ct);
        await Store.DeleteAsync("downloads/a.tar.gz", Ct);
        await Store.DeleteAsync("downloads/a.tar.gz", Ct);

        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task ListReturnsTheKeysThatStartWithThePrefix()
    {
        string[] keys =
        [
            "blobs/sha256/ab/ab01", "blobs/sha256/ab/ab02", "blobs/sha256/cd/cd01",
            "snapshots/s1/1.json", "snapshots/s10/1.json", "downloads/x.tar.gz",
        ];
        foreach (var key in keys)
        {
            await PutTextAsync(key, key);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListAsync(""));
        Assert.Equal(["blobs/sha256/ab/ab01", "blobs/sha256/ab/ab02", "blobs/sha256/cd/cd01"], await ListAsync("blobs/"));
        Assert.Equal(["blobs/sha256/ab/ab01", "blobs/sha256/ab/ab02"], await ListAsync("blobs/sha256/ab/"));
        Assert.Equal(["blobs/sha256/ab/ab02"], await ListAsync("blobs/sha256/ab/ab02"));
        Assert.Equal(["snapshots/s1/1.json"], await ListAsync("snapshots/s1/"));
        Assert.Equal(["snapshots/s1/1.json", "snapshots/s10/1.json"], await ListAsync("snapshots/s1"));
        Assert.Empty(await ListAsync("nothing/"));
        Assert.Empty(await ListAsync("blobs/sha256/ef/"));
    }

    [Fact]
    public async Task LargeObjectRoundTripsWithTheSameHash()
    {
        // Not a multiple of any part size, so the last part is a short one.
        const long length = (50L * 1024 * 1024) + 12_345;

        await Store.PutAsync("downloads/large.tar.gz", new SourceStream(length), Ct);

        Assert.Equal(length, await Store.GetSizeAsync("downloads/large.tar.gz", Ct));
        await using var read = await Store.OpenReadAsync("downloads/large.tar.gz", Ct);
        Assert.NotNull(read);
        Assert.Equal(Convert.ToHexString(await SourceStream.HashAsync(length)), Convert.ToHexString(await SHA256.HashDataAsync(read, Ct)));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(9 * 1024 * 1024)] // after one whole part of a multipart upload
    public async Task FailedPutLeavesThePreviousObject(long failAfter)
    {
        await PutTextAsync("snapshots/ses_1/latest.json", "previous");

        var failing = new SourceStream(20L * 1024 * 1024) { TripAt = failAfter };
        var error = await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("snapshots/ses_1/latest.json", failing, Ct));

        Assert.Contains("Simulated failure", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous", await ReadTextAsync("snapshots/ses_1/latest.json"));
        Assert.Equal(["snapshots/ses_1/latest.json"], await ListAsync(""));
    }

    [Fact]
    public async Task FailedFirstPutLeavesNothing()
    {
        var failing = new SourceStream(1_000_000) { TripAt = 500_000 };
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("downloads/new.tar.gz", failing, Ct));

        Assert.False(await Store.ExistsAsync("downloads/new.tar.gz", Ct));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task CancelledPutLeavesThePreviousObject()
    {
        await PutTextAsync("snapshots/ses_1/latest.json", "previous");
        using var cancel = new CancellationTokenSource();

        var source = new SourceStream(20L * 1024 * 1024) { TripAt = 9 * 1024 * 1024, OnTrip = cancel.Cancel };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("snapshots/ses_1/latest.json", source, cancel.Token));

        Assert.Equal("previous", await ReadTextAsync("snapshots/ses_1/latest.json"));
        Assert.Equal(["snapshots/ses_1/latest.json"], await ListAsync(""));
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task BadKeysAreRejectedByEveryOperation(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1, 2, 3]), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.OpenReadAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ExistsAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetSizeAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5), "x.tar.gz", Ct));

        Assert.Empty(await ListAsync(""));
    }

    [Theory]
    [MemberData(nameof(BadPrefixes))]
    public async Task BadPrefixesAreRejected(string prefix)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ListAsync(prefix));

        Assert.Equal("prefix", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b.tar.gz")]
    [InlineData("..")]
    [InlineData("x\r\ny")]
    public async Task BadDownloadFileNamesAreRejected(string name)
    {
        await PutTextAsync("downloads/a.tar.gz", "x");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.GetDownloadUrlAsync("downloads/a.tar.gz", TimeSpan.FromMinutes(5), name, Ct));

        Assert.Equal("downloadFileName", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task DownloadUrlLifetimeMustBePositive(int minutes)
    {
        await PutTextAsync("downloads/a.tar.gz", "x");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.GetDownloadUrlAsync("downloads/a.tar.gz", TimeSpan.FromMinutes(minutes), "a.tar.gz", Ct));
    }

    private protected async Task PutTextAsync(string key, string text) =>
        await Store.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(text)), Ct);

    private protected async Task<string?> ReadTextAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, Ct);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(Ct);
    }

    private protected async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListAsync(prefix, Ct))
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
