using System.Security.Cryptography;
using Catty.Server.Blobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catty.Server.Tests.Blobs;

public sealed class FolderBlobStoreTests : BlobStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "catty-blobs-" + Guid.NewGuid().ToString("N"));

    private protected override Task<IBlobStore> OpenStoreAsync() => Task.FromResult<IBlobStore>(Open());

    private protected override Task CloseStoreAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    // Content-addressed blobs are often written by two snapshots at once. (s3rver, unlike S3, writes in
    // place, so this property is tested here only.)
    [Fact]
    public async Task ConcurrentPutsOfOneKeyLeaveOneWholeVersion()
    {
        const int length = 300_000;
        var hashes = new HashSet<string>();
        for (var seed = 1; seed <= 6; seed++)
        {
            hashes.Add(Convert.ToHexString(await SourceStream.HashAsync(length, seed)));
        }

        await Task.WhenAll(Enumerable.Range(1, 6).Select(seed => Task.Run(() => Store.PutAsync("blobs/sha256/ab/same", new SourceStream(length, seed), Ct))));

        await using var read = await Store.OpenReadAsync("blobs/sha256/ab/same", Ct);
        Assert.NotNull(read);
        Assert.Contains(Convert.ToHexString(await SHA256.HashDataAsync(read, Ct)), hashes);
        Assert.Equal(["blobs/sha256/ab/same"], await ListAsync(""));
    }

    [Fact]
    public async Task ObjectsAreFilesUnderTheRoot()
    {
        await PutTextAsync("blobs/sha256/ab/abcdef", "content");

        Assert.Equal("content", await File.ReadAllTextAsync(Path.Combine(_root, "blobs", "sha256", "ab", "abcdef"), Ct));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ObjectsAreReadableByTheOwnerOnly()
    {
        await PutTextAsync("blobs/sha256/ab/abcdef", "secret workspace file");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, "blobs", "sha256", "ab", "abcdef")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_root, "blobs", "sha256")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(300_000)] // after several copy buffers
    public async Task FailedWriteLeavesTheOldFileAndNoTemporaryFile(long failAfter)
    {
        await PutTextAsync("snapshots/ses_1/latest.json", "previous");

        var failing = new SourceStream(1_000_000) { TripAt = failAfter };
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("snapshots/ses_1/latest.json", failing, Ct));

        Assert.Equal("previous", await ReadTextAsync("snapshots/ses_1/latest.json"));
        Assert.Equal([Path.Combine(_root, "snapshots", "ses_1", "latest.json")], AllFiles());
    }

    [Fact]
    public async Task AnUnflushedObjectDeletedBeforeTheFlushIsNoError()
    {
        await Store.PutUnflushedAsync("snapshots/ses_1/2.json", new MemoryStream("orphan"u8.ToArray()), Ct);
        await Store.PutUnflushedAsync("blobs/sha256/ab/ab01", new MemoryStream("kept"u8.ToArray()), Ct);
        await Store.DeleteAsync("snapshots/ses_1/2.json", Ct);

        await Store.FlushAsync(Ct);

        Assert.Equal([Path.Combine(_root, "blobs", "sha256", "ab", "ab01")], AllFiles());
    }

    [Fact]
    public async Task CancelledWriteLeavesNoTemporaryFile()
    {
        using var cancel = new CancellationTokenSource();
        var source = new SourceStream(1_000_000) { TripAt = 200_000, OnTrip = cancel.Cancel };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("downloads/a.tar.gz", source, cancel.Token));

        Assert.Empty(AllFiles());
    }

    [Fact]
    public async Task TemporaryFilesLeftByACrashAreRemovedAtStart()
    {
        await PutTextAsync("blobs/sha256/ab/ab01", "kept");
        var ab = Path.Combine(_root, "blobs", "sha256", "ab");
        await File.WriteAllTextAsync(Path.Combine(ab, ".ab02.0123456789abcdef.tmp"), "half written", Ct);
        await File.WriteAllTextAsync(Path.Combine(_root, ".latest.json.fedcba9876543210.tmp"), "half written", Ct);
        await File.WriteAllTextAsync(Path.Combine(_root, ".keep"), "not ours to remove", Ct);

        var reopened = Open();

        Assert.Equal(
            [Path.Combine(_root, ".keep"), Path.Combine(ab, "ab01")],
            AllFiles());
        Assert.True(await reopened.ExistsAsync("blobs/sha256/ab/ab01", Ct));
    }

    [Fact]
    public async Task ListSkipsFilesThatAreNotKeys()
    {
        await PutTextAsync("downloads/a.tar.gz", "x");
        var downloads = Path.Combine(_root, "downloads");
        await File.WriteAllTextAsync(Path.Combine(downloads, ".a.tar.gz.0123456789abcdef.tmp"), "in flight", Ct);
        await File.WriteAllTextAsync(Path.Combine(downloads, "put here by hand.txt"), "stray", Ct);

        Assert.Equal(["downloads/a.tar.gz"], await ListAsync(""));
        Assert.Equal(["downloads/a.tar.gz"], await ListAsync("downloads/"));
    }

    [Fact]
    public async Task AReaderKeepsTheVersionItOpenedWhileItIsOverwritten()
    {
        await PutTextAsync("downloads/a.tar.gz", "first version");
        await using var reader = await Store.OpenReadAsync("downloads/a.tar.gz", Ct);
        Assert.NotNull(reader);

        await PutTextAsync("downloads/a.tar.gz", "second version");
        await Store.DeleteAsync("downloads/a.tar.gz", Ct);

        using var text = new StreamReader(reader);
        Assert.Equal("first version", await text.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task AFolderIsNotAnObject()
    {
        await PutTextAsync("snapshots/ses_1/1.json", "x");

        Assert.Null(await Store.OpenReadAsync("snapshots/ses_1", Ct));
        Assert.False(await Store.ExistsAsync("snapshots/ses_1", Ct));
        Assert.Null(await Store.GetSizeAsync("snapshots/ses_1", Ct));
    }

    [Fact]
    public async Task DownloadUrlIsLeftToTheServer()
    {
        await PutTextAsync("downloads/a.tar.gz", "x");

        Assert.Null(await Store.GetDownloadUrlAsync("downloads/a.tar.gz", TimeSpan.FromMinutes(5), "a.tar.gz", Ct));
    }

    private FolderBlobStore Open() => new(_root, NullLogger<FolderBlobStore>.Instance);

    private List<string> AllFiles() =>
        [.. Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal)];
}
