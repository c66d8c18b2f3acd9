using System.Security.Cryptography;
using System.Text;
using Catty.Agent.Snapshots;
using Catty.Agent.Tests.Workspace;

namespace Catty.Agent.Tests.Snapshots;

public sealed class VerifyingContentStreamTests : IDisposable
{
    private readonly TempWorkspace _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Matching_content_is_served_whole()
    {
        var content = new byte[300_000];
        new Random(2).NextBytes(content);
        using var stream = Open(content, content.Length, Sha(content));
        var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Content_that_no_longer_matches_its_hash_fails_on_the_last_read()
    {
        var content = Encoding.UTF8.GetBytes("changed after the scan");
        using var stream = Open(content, content.Length, Sha("what the scan saw"u8.ToArray()));

        var e = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(new MemoryStream()));

        Assert.Contains("changed after it was scanned", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_shrank_fails_instead_of_ending_early()
    {
        var content = "short"u8.ToArray();
        using var stream = Open(content, 100, Sha(new byte[100]));

        var e = Assert.Throws<IOException>(() => stream.CopyTo(new MemoryStream()));

        Assert.Contains("shrank", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_grew_is_served_up_to_the_scanned_size()
    {
        var scanned = "scanned"u8.ToArray();
        using var stream = Open([.. scanned, .. " and appended later"u8.ToArray()], scanned.Length, Sha(scanned));
        var copy = new MemoryStream();

        stream.CopyTo(copy);

        Assert.Equal(scanned, copy.ToArray());
    }

    private VerifyingContentStream Open(byte[] content, long size, string sha)
    {
        var path = Path.Join(_temp.Root, "content.bin");
        File.WriteAllBytes(path, content);
        return new VerifyingContentStream(File.OpenHandle(path), size, sha);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
