using System.IO.Compression;
using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

public sealed class HostileUploadTests : IDisposable
{
    private readonly UploadHarness _upload = new();

    public void Dispose() => _upload.Dispose();

    [Theory]
    [InlineData("/etc/evil", "unsafe_path", "absolute")]
    [InlineData("../x", "unsafe_path", "'..'")]
    [InlineData("a/../../x", "unsafe_path", "'..'")]
    [InlineData("a/..", "unsafe_path", "'..'")]
    [InlineData("a\\..\\..\\x", "unsafe_path", "backslash")]
    [InlineData("C:/windows/x", "unsafe_path", "drive letter")]
    [InlineData("a//b", "unsafe_path", "empty path component")]
    [InlineData("./a", "unsafe_path", "'.'")]
    public async Task Hostile_names_are_refused_and_nothing_is_written(string name, string error, string reason)
    {
        var zip = new TestZip().File("fine.txt", "fine").File(name, "evil").ToArray();

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, error);

        Assert.Contains($"'{name}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_entry_is_refused()
    {
        var zip = new TestZip().File("a.txt", "a").Symlink("link", "/etc/passwd").ToArray();

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, UploadErrors.UnsupportedEntry);

        Assert.Contains("'link'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestZip.CharDeviceType)]
    [InlineData(TestZip.FifoType)]
    [InlineData(0xC000)] // socket
    [InlineData(0x6000)] // block device
    public async Task Device_fifo_and_socket_entries_are_refused(int type)
    {
        var zip = new TestZip().File("a.txt", "a").Raw("dev/thing", type | 0x1A4).ToArray();

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, UploadErrors.UnsupportedEntry);

        Assert.Contains("'dev/thing'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_through_a_symlink_already_in_the_workspace_is_refused()
    {
        File.CreateSymbolicLink(_upload.Temp.InWorkspace("link"), _upload.Temp.Outside);
        var zip = new TestZip().File("ok.txt", "ok").File("link/evil.txt", "evil").ToArray();

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, UploadErrors.UnsafePath);

        Assert.Contains("'link/evil.txt'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_upload.Temp.Outside));
    }

    [Fact]
    public async Task An_entry_that_would_replace_a_symlink_in_the_workspace_is_refused()
    {
        File.CreateSymbolicLink(_upload.Temp.InWorkspace("config"), Path.Join(_upload.Temp.Outside, "config"));

        var refused = await _upload.AssertRefusedWithoutTrace(new TestZip().File("config", "x").ToArray(), 400, UploadErrors.UnsafePath);

        Assert.Contains("'config'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_where_the_workspace_has_a_folder_is_a_conflict()
    {
        _upload.Temp.Write("src/keep.txt", "keep");

        var refused = await _upload.AssertRefusedWithoutTrace(new TestZip().File("a.txt", "a").File("src", "x").ToArray(), 409, UploadErrors.PathConflict);

        Assert.Contains("'src'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_paths_in_the_archive_are_refused()
    {
        await _upload.AssertRefusedWithoutTrace(new TestZip().File("a.txt", "1").File("a.txt", "2").ToArray(), 400, UploadErrors.DuplicateEntry);
        await _upload.AssertRefusedWithoutTrace(new TestZip().File("a", "1").File("a/b", "2").ToArray(), 400, UploadErrors.DuplicateEntry);
        await _upload.AssertRefusedWithoutTrace(new TestZip().File("a/b", "1").File("a", "2").ToArray(), 400, UploadErrors.DuplicateEntry);
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_by_its_expanded_size()
    {
        var zip = new TestZip().File("small.txt", "small").File("zeros.bin", new byte[8 * 1024 * 1024], null, CompressionLevel.Optimal).ToArray();
        Assert.True(zip.Length < 64 * 1024, $"the bomb should be small, is {zip.Length} bytes");

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 413, UploadErrors.ExpandedTooLarge, new UploadLimits(MaxExpandedBytes: 1024 * 1024));

        Assert.Contains("'zeros.bin'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_small_entries_over_the_expanded_limit_are_refused()
    {
        var zip = new TestZip();
        for (var i = 0; i < 20; i++)
        {
            zip.File($"f{i}.bin", new byte[100_000], null, CompressionLevel.Optimal);
        }

        await _upload.AssertRefusedWithoutTrace(zip.ToArray(), 413, UploadErrors.ExpandedTooLarge, new UploadLimits(MaxExpandedBytes: 1_000_000));
    }

    [Fact]
    public async Task An_entry_whose_header_understates_its_size_is_refused()
    {
        // 8 MiB of zeros declared as 1,000 bytes in both headers: the reader must not trust the declaration,
        // and what it yields must not be accepted as the entry's content.
        var zip = ZipSurgery.SetUncompressedSize(new TestZip().File("zeros.bin", new byte[8 * 1024 * 1024], null, CompressionLevel.Optimal).ToArray(), 1000);

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, UploadErrors.InvalidZip, new UploadLimits(MaxExpandedBytes: 1024 * 1024));

        Assert.Contains("'zeros.bin'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_entries_are_refused()
    {
        var zip = new TestZip();
        for (var i = 0; i < 11; i++)
        {
            zip.File($"f{i}.txt", "x");
        }

        var refused = await _upload.AssertRefusedWithoutTrace(zip.ToArray(), 413, UploadErrors.TooManyEntries, new UploadLimits(MaxEntries: 10));

        Assert.Contains("11", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused_by_its_content_length_without_being_read()
    {
        var random = new byte[5000];
        new Random(1).NextBytes(random);
        var zip = new TestZip().File("a.bin", random).ToArray();
        var body = SourceStream.Over(zip);

        var result = await new ZipUploadExtractor(new UploadLimits(MaxCompressedBytes: 1000))
            .ExtractAsync(body, zip.Length, _upload.Temp.Workspace, _upload.Temp.Marker, CancellationToken.None);

        UploadHarness.AssertRefused(result, 413, UploadErrors.UploadTooLarge);
        Assert.Equal(0, body.BytesRead);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(500L)] // a Content-Length that lies low must not let a larger body through
    public async Task A_body_larger_than_the_limit_is_refused_while_reading(long? contentLength)
    {
        var random = new byte[200_000];
        new Random(3).NextBytes(random);
        var zip = new TestZip().File("a.bin", random, null, CompressionLevel.NoCompression).ToArray();
        var body = SourceStream.Over(zip);

        await _upload.AssertRefusedWithoutTrace(zip, 413, UploadErrors.UploadTooLarge, new UploadLimits(MaxCompressedBytes: 100_000), contentLength, body);

        Assert.Equal(100_001, body.BytesRead);
    }

    [Fact]
    public async Task A_body_that_is_not_a_zip_is_refused()
    {
        var garbage = new byte[10_000];
        new Random(5).NextBytes(garbage);

        var refused = await _upload.AssertRefusedWithoutTrace(garbage, 400, UploadErrors.InvalidZip);

        Assert.Contains("not a readable zip", refused.Message, StringComparison.Ordinal);
        await _upload.AssertRefusedWithoutTrace([], 400, UploadErrors.InvalidZip);
    }

    [Fact]
    public async Task A_truncated_zip_is_refused()
    {
        var zip = new TestZip().File("a.txt", new string('a', 10_000)).File("b.txt", "b").ToArray();

        await _upload.AssertRefusedWithoutTrace(zip[..(zip.Length / 2)], 400, UploadErrors.InvalidZip);
    }

    [Fact]
    public async Task Damaged_entry_data_is_refused_by_its_checksum()
    {
        var content = new byte[50_000];
        new Random(9).NextBytes(content);
        var zip = new TestZip().File("ok.txt", "ok").File("data.bin", content, null, CompressionLevel.NoCompression).ToArray();
        zip[zip.Length / 2] ^= 0x5A; // inside data.bin's stored bytes

        var refused = await _upload.AssertRefusedWithoutTrace(zip, 400, UploadErrors.InvalidZip);

        Assert.Contains("'data.bin'", refused.Message, StringComparison.Ordinal);
    }
}
