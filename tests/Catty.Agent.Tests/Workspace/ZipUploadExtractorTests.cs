using System.IO.Compression;
using Catty.Agent.Workspace;

namespace Catty.Agent.Tests.Workspace;

public sealed class ZipUploadExtractorTests : IDisposable
{
    private readonly UploadHarness _upload = new();

    public void Dispose() => _upload.Dispose();

    [Fact]
    public async Task A_tree_round_trips_with_folders_modes_utf8_names_and_a_large_binary()
    {
        var big = new byte[50 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var zip = new TestZip()
            .File("README.md", "# hello\n", 0x1A4)
            .Directory("src/", 0x1ED)
            .File("src/main.py", "print('hi')\n", 0x1A4)
            .File("src/deep/er/still/file.txt", "deep\n")
            .File("bin/run.sh", "#!/bin/sh\necho run\n", 0x1ED)
            .File("bin/tool", "#!/bin/sh\n", 0x1C0)
            .Directory("empty/")
            .Directory("empty-too/nested/", 0x1E8)
            .File("données/café ☕.txt", "utf-8 name\n")
            .File("日本語/ファイル.md", "名前\n")
            .File("data/big.bin", big, 0x1A4, CompressionLevel.NoCompression)
            .File("setuid", "x", 0xDED) // 06755: the setuid and setgid bits must not survive
            .ToArray();

        var result = await _upload.ExtractAsync(zip);

        var ok = Assert.IsType<UploadResult.Ok>(result);
        Assert.Equal(9, ok.Files);
        Assert.Equal(big.Length + 8 + 12 + 5 + 19 + 10 + 11 + 7 + 1, ok.Bytes);
        Assert.Equal(
            [
                "README.md 644", "bin 755", "bin/run.sh 755", "bin/tool 700", "data 755", "data/big.bin 644",
                "données 755", "données/café ☕.txt 644", "empty 755", "empty-too 755", "empty-too/nested 750",
                "setuid 755", "src 755", "src/deep 755", "src/deep/er 755", "src/deep/er/still 755",
                "src/deep/er/still/file.txt 644", "src/main.py 644", "日本語 755", "日本語/ファイル.md 644",
            ],
            TreeListing.Describe(_upload.Temp.Workspace).Select(l => string.Join(' ', l.Split('\t')[1..3])).Order(StringComparer.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(big)), TreeListing.Sha256Of(_upload.Temp.InWorkspace("data/big.bin")));
        Assert.Equal("print('hi')\n", File.ReadAllText(_upload.Temp.InWorkspace("src/main.py")));
        Assert.Equal("名前\n", File.ReadAllText(_upload.Temp.InWorkspace("日本語/ファイル.md")));
        Assert.Equal(["outside", "state", "workspace"], _upload.Temp.RootNames());
        Assert.StartsWith("complete", File.ReadAllText(_upload.Temp.Marker), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8_names_without_the_utf8_flag_are_read_as_utf8()
    {
        var zip = ZipSurgery.ClearUtf8Flag(new TestZip().File("café/日本.txt", "A").ToArray());

        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(zip));

        Assert.Equal("A", File.ReadAllText(_upload.Temp.InWorkspace("café/日本.txt")));
    }

    [Fact]
    public async Task Every_extracted_file_matches_its_source_byte_for_byte()
    {
        var sources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var random = new Random(11);
        var zip = new TestZip();
        for (var i = 0; i < 40; i++)
        {
            var content = new byte[random.Next(0, 300_000)];
            random.NextBytes(content);
            var name = $"d{i % 5}/sub{i % 3}/f{i}.bin";
            sources[name] = content;
            zip.File(name, content, null, i % 2 == 0 ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
        }

        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(zip.ToArray()));
        foreach (var (name, content) in sources)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(_upload.Temp.InWorkspace(name)));
        }
    }

    [Fact]
    public async Task A_second_upload_is_refused_and_changes_nothing()
    {
        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(new TestZip().File("first.txt", "first").ToArray()));

        await _upload.AssertRefusedWithoutTrace(new TestZip().File("second.txt", "second").File("first.txt", "overwritten").ToArray(), 409, UploadErrors.AlreadyUploaded);

        Assert.Equal("first", File.ReadAllText(_upload.Temp.InWorkspace("first.txt")));
    }

    [Fact]
    public async Task A_refused_upload_can_be_followed_by_a_good_one()
    {
        await _upload.AssertRefusedWithoutTrace(new TestZip().File("../escape", "x").ToArray(), 400, UploadErrors.UnsafePath);

        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(new TestZip().File("good.txt", "good").ToArray()));
        Assert.Equal("good", File.ReadAllText(_upload.Temp.InWorkspace("good.txt")));
    }

    [Fact]
    public async Task Upload_merges_into_existing_folders_and_replaces_files()
    {
        _upload.Temp.Write("src/old.txt", "old");
        _upload.Temp.Write("src/replace.txt", "before");

        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(new TestZip().File("src/new.txt", "new").File("src/replace.txt", "after").ToArray()));

        Assert.Equal("old", File.ReadAllText(_upload.Temp.InWorkspace("src/old.txt")));
        Assert.Equal("new", File.ReadAllText(_upload.Temp.InWorkspace("src/new.txt")));
        Assert.Equal("after", File.ReadAllText(_upload.Temp.InWorkspace("src/replace.txt")));
        Assert.Equal(["outside", "state", "workspace"], _upload.Temp.RootNames());
    }

    [Fact]
    public async Task A_missing_workspace_is_created_by_a_good_upload_and_not_by_a_refused_one()
    {
        Directory.Delete(_upload.Temp.Workspace);

        UploadHarness.AssertRefused(await _upload.ExtractAsync(new TestZip().File("/abs", "x").ToArray()), 400, UploadErrors.UnsafePath);
        Assert.False(Directory.Exists(_upload.Temp.Workspace));

        Assert.IsType<UploadResult.Ok>(await _upload.ExtractAsync(new TestZip().File("a/b.txt", "b").ToArray()));
        Assert.Equal("b", File.ReadAllText(_upload.Temp.InWorkspace("a/b.txt")));
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_no_trace_and_releases_the_marker()
    {
        _upload.Temp.Write("seed.txt", "seed");
        var before = TreeListing.Describe(_upload.Temp.Workspace);
        var zip = new TestZip().File("a.txt", "a").ToArray();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ZipUploadExtractor(new UploadLimits())
            .ExtractAsync(new MemoryStream(zip), zip.Length, _upload.Temp.Workspace, _upload.Temp.Marker, new CancellationToken(canceled: true)));

        Assert.Equal(before, TreeListing.Describe(_upload.Temp.Workspace));
        Assert.Equal(["outside", "state", "workspace"], _upload.Temp.RootNames());
        Assert.False(File.Exists(_upload.Temp.Marker));
    }

    [Fact]
    public async Task A_chosen_staging_folder_is_used_and_left_empty()
    {
        var stagingParent = Directory.CreateDirectory(Path.Join(_upload.Temp.Root, "staging-area")).FullName;
        var zip = new TestZip().File("a/b.txt", "b").ToArray();

        var result = await new ZipUploadExtractor(new UploadLimits(), stagingParent)
            .ExtractAsync(new MemoryStream(zip), zip.Length, _upload.Temp.Workspace, _upload.Temp.Marker, CancellationToken.None);

        Assert.IsType<UploadResult.Ok>(result);
        Assert.Equal("b", File.ReadAllText(_upload.Temp.InWorkspace("a/b.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(stagingParent));
    }

    [Fact]
    public async Task A_staging_folder_that_cannot_be_created_is_a_write_failure_and_releases_the_marker()
    {
        var blocker = Path.Join(_upload.Temp.Root, "not-a-folder");
        File.WriteAllText(blocker, "a file where a folder is needed");
        var zip = new TestZip().File("a.txt", "a").ToArray();

        var result = await new ZipUploadExtractor(new UploadLimits(), Path.Join(blocker, "staging"))
            .ExtractAsync(new MemoryStream(zip), zip.Length, _upload.Temp.Workspace, _upload.Temp.Marker, CancellationToken.None);

        UploadHarness.AssertRefused(result, 500, UploadErrors.WriteFailed);
        Assert.False(File.Exists(_upload.Temp.Marker));
        Assert.Empty(Directory.GetFileSystemEntries(_upload.Temp.Workspace));
    }

    [Fact]
    public async Task A_marker_inside_the_workspace_is_a_caller_bug()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new ZipUploadExtractor(new UploadLimits())
            .ExtractAsync(new MemoryStream(), 0, _upload.Temp.Workspace, _upload.Temp.InWorkspace(".marker"), CancellationToken.None));
    }
}
