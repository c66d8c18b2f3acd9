using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Catty.Sdk.AgentControl;
using Catty.Server.Blobs;
using Catty.Server.Runtimes;
using Catty.Server.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace Catty.Server.Tests.Workspaces;

/// <summary>
/// The fetcher against an agent that answers wrongly (a scripted peer on a real loopback socket): nothing it
/// stores is ever other than what its hash promised.
/// </summary>
public sealed class BlobFetcherTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "catty-fetch-" + Guid.NewGuid().ToString("N"));
    private readonly FolderBlobStore _store;

    public BlobFetcherTests() => _store = new FolderBlobStore(_root, NullLogger<FolderBlobStore>.Instance);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Only_contents_that_hash_as_promised_are_stored_and_an_answer_cut_short_fails_the_batch()
    {
        WantedBlob[] batch = [Wanted("good"), Wanted("real"), Wanted("gone"), Wanted("late")];
        var answer = Frame("good").Concat(Frame("evil")).Concat(Missing()).Concat(Frame("late")[..10]).ToArray();
        await using var peer = ScriptedAgent.Start("application/octet-stream", answer);
        using var agent = new AgentClient(peer.Endpoint);
        var stored = new List<string>();

        var whole = await BlobFetcher.FetchAsync(agent, _store, batch, stored.Add, CancellationToken.None);
        await _store.FlushAsync(CancellationToken.None);

        Assert.False(whole);
        Assert.Equal([Sha("good")], stored);
        Assert.Equal("good", await ReadBlobAsync(Sha("good")));
        Assert.False(await _store.ExistsAsync(SnapshotKeys.Blob(Sha("real")), CancellationToken.None));
        Assert.False(await _store.ExistsAsync(SnapshotKeys.Blob(Sha("late")), CancellationToken.None));
        Assert.Equal($"POST /snapshot/blobs HTTP/1.1|{string.Join('\n', batch.Select(b => b.Sha256))}", await peer.RequestAsync);
    }

    [Fact]
    public async Task A_length_other_than_the_manifest_gave_stops_the_batch()
    {
        await using var peer = ScriptedAgent.Start("application/octet-stream", [.. Frame("longer"), .. Frame("good")]);
        using var agent = new AgentClient(peer.Endpoint);
        var stored = new List<string>();

        var whole = await BlobFetcher.FetchAsync(agent, _store, [Wanted("good") with { Size = 4 }, Wanted("good")], stored.Add, CancellationToken.None);

        Assert.False(whole);
        Assert.Empty(stored);
    }

    private async Task<string> ReadBlobAsync(string sha)
    {
        await using var blob = await _store.OpenReadAsync(SnapshotKeys.Blob(sha), CancellationToken.None);
        Assert.NotNull(blob);
        await using var gzip = new GZipStream(blob, CompressionMode.Decompress);
        return await new StreamReader(gzip).ReadToEndAsync();
    }

    private static WantedBlob Wanted(string content) => new(Sha(content), Encoding.UTF8.GetByteCount(content));

    private static byte[] Frame(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var frame = new byte[BlobFrames.HeaderBytes + bytes.Length];
        BinaryPrimitives.WriteInt64BigEndian(frame, bytes.Length);
        bytes.CopyTo(frame, BlobFrames.HeaderBytes);
        return frame;
    }

    private static byte[] Missing()
    {
        var frame = new byte[BlobFrames.HeaderBytes];
        BinaryPrimitives.WriteInt64BigEndian(frame, BlobFrames.Missing);
        return frame;
    }

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
