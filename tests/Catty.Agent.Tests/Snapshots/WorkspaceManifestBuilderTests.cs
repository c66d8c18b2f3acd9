using System.Diagnostics;
using System.Text;
using Catty.Agent.Snapshots;
using Catty.Agent.Tests.Workspace;
using Catty.Sdk.AgentControl;
using Xunit.Abstractions;

namespace Catty.Agent.Tests.Snapshots;

public sealed class WorkspaceManifestBuilderTests : IDisposable
{
    private readonly TempWorkspace _temp = new();
    private readonly ITestOutputHelper _output;

    public WorkspaceManifestBuilderTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Files_folders_and_links_are_recorded_with_hashes_and_modes_in_ordinal_order()
    {
        _temp.Write("src/main.py", "print('hi')\n");
        _temp.Write("run.sh", "#!/bin/sh\n");
        TreeListing.SetMode(_temp.InWorkspace("run.sh"), 0x1ED);
        _temp.Write("a.txt", "");
        _temp.Write("é.txt", "accent");
        Directory.CreateDirectory(_temp.InWorkspace("empty"));
        TreeListing.SetMode(_temp.InWorkspace("empty"), 0x1E8);
        File.CreateSymbolicLink(_temp.InWorkspace("to-main"), "src/main.py");
        File.CreateSymbolicLink(_temp.InWorkspace("dangling"), "nowhere/at/all");
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());

        var manifest = builder.Build(CancellationToken.None);

        Assert.Equal(
            [
                new ManifestEntryDto("a.txt", ManifestKinds.File, 0x1A4, 0, Sha("a.txt"), null),
                new ManifestEntryDto("dangling", ManifestKinds.Symlink, 0x1FF, 14, null, "nowhere/at/all"),
                new ManifestEntryDto("empty", ManifestKinds.Directory, 0x1E8, 0, null, null),
                new ManifestEntryDto("run.sh", ManifestKinds.File, 0x1ED, 10, Sha("run.sh"), null),
                new ManifestEntryDto("src", ManifestKinds.Directory, 0x1ED, 0, null, null),
                new ManifestEntryDto("src/main.py", ManifestKinds.File, 0x1A4, 12, Sha("src/main.py"), null),
                new ManifestEntryDto("to-main", ManifestKinds.Symlink, 0x1FF, 11, null, "src/main.py"),
                new ManifestEntryDto("é.txt", ManifestKinds.File, 0x1A4, 6, Sha("é.txt"), null),
            ],
            manifest.Entries);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", manifest.Entries[0].Sha256);
        Assert.Equal(64, manifest.Digest.Length);
    }

    [Fact]
    public void Excluded_folders_are_left_out_at_any_depth()
    {
        _temp.Write("keep.txt", "keep");
        _temp.Write(".gitignore", "node_modules\n");
        _temp.Write("my_node_modules/kept.js", "kept");
        foreach (var name in new[] { ".git", "node_modules", "__pycache__", ".venv", "venv", ".cache", ".npm", ".yarn" })
        {
            _temp.Write($"{name}/top.txt", "x");
            _temp.Write($"a/b/{name}/deep/file.txt", "x");
        }

        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());

        var paths = builder.Build(CancellationToken.None).Entries.Select(e => e.Path);

        Assert.Equal([".gitignore", "a", "a/b", "keep.txt", "my_node_modules", "my_node_modules/kept.js"], paths);
        Assert.Equal(3, builder.FilesHashed); // excluded files are not even read
    }

    [Fact]
    public void Snapshots_keep_git_at_any_depth_and_leave_out_the_rest()
    {
        _temp.Write("keep.txt", "keep");
        _temp.Write(".git/HEAD", "ref: refs/heads/main\n");
        _temp.Write("sub/.git/config", "[core]\n");
        _temp.Write("node_modules/x.js", "x");
        _temp.Write("sub/.cache/y", "y");

        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead(), keepGit: true);

        var paths = builder.Build(CancellationToken.None).Entries.Select(e => e.Path);

        Assert.Equal([".git", ".git/HEAD", "keep.txt", "sub", "sub/.git", "sub/.git/config"], paths);
    }

    [Fact]
    public void A_link_to_a_folder_outside_is_recorded_and_never_followed()
    {
        File.WriteAllText(Path.Join(_temp.Outside, "secret.txt"), "secret");
        File.CreateSymbolicLink(_temp.InWorkspace("escape"), _temp.Outside);
        File.CreateSymbolicLink(_temp.InWorkspace("secret-link"), Path.Join(_temp.Outside, "secret.txt"));
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());

        var manifest = builder.Build(CancellationToken.None);

        Assert.Equal(
            [
                new ManifestEntryDto("escape", ManifestKinds.Symlink, 0x1FF, Encoding.UTF8.GetByteCount(_temp.Outside), null, _temp.Outside),
                new ManifestEntryDto("secret-link", ManifestKinds.Symlink, 0x1FF, Encoding.UTF8.GetByteCount(_temp.Outside) + 11, null, Path.Join(_temp.Outside, "secret.txt")),
            ],
            manifest.Entries);
        Assert.Equal(0, builder.FilesHashed);
        Assert.False(builder.TryOpenContent(TreeListing.Sha256Of(Path.Join(_temp.Outside, "secret.txt")), out _));
    }

    [Fact]
    public void A_rebuild_hashes_only_what_changed()
    {
        for (var i = 0; i < 50; i++)
        {
            _temp.Write($"d{i % 5}/f{i}.txt", $"content {i}");
        }

        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());
        var first = builder.Build(CancellationToken.None);
        Assert.Equal(50, builder.FilesHashed);

        var unchanged = builder.Build(CancellationToken.None);
        Assert.Equal(50, builder.FilesHashed);
        Assert.Equal(first.Digest, unchanged.Digest);
        Assert.Equal(first.Entries, unchanged.Entries);

        _temp.Write("d3/f13.txt", "changed content, and longer");
        var changed = builder.Build(CancellationToken.None);
        Assert.Equal(51, builder.FilesHashed);
        Assert.Equal(Sha("d3/f13.txt"), changed.Entries.Single(e => e.Path == "d3/f13.txt").Sha256);
        Assert.NotEqual(first.Digest, changed.Digest);

        File.Delete(_temp.InWorkspace("d0/f0.txt"));
        _temp.Write("d0/new.txt", "new");
        var moved = builder.Build(CancellationToken.None);
        Assert.Equal(52, builder.FilesHashed);
        Assert.DoesNotContain(moved.Entries, e => e.Path == "d0/f0.txt");
        Assert.Contains(moved.Entries, e => e.Path == "d0/new.txt");
    }

    [Fact]
    public void A_same_size_rewrite_with_its_old_mtime_put_back_is_still_noticed()
    {
        _temp.Write("same.txt", "aaaa");
        var mtime = File.GetLastWriteTimeUtc(_temp.InWorkspace("same.txt"));
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());
        builder.Build(CancellationToken.None);

        File.WriteAllText(_temp.InWorkspace("same.txt"), "bbbb");
        File.SetLastWriteTimeUtc(_temp.InWorkspace("same.txt"), mtime);
        var manifest = builder.Build(CancellationToken.None);

        Assert.Equal(2, builder.FilesHashed);
        Assert.Equal(Sha("same.txt"), manifest.Entries.Single().Sha256);
    }

    [Fact]
    public void A_file_touched_just_before_a_scan_is_hashed_again_until_it_settles()
    {
        _temp.Write("hot.txt", "hot");
        var touched = new DateTimeOffset(File.GetLastWriteTimeUtc(_temp.InWorkspace("hot.txt")));
        var clock = new SetClock(touched.AddMilliseconds(300));
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, clock);

        builder.Build(CancellationToken.None);
        builder.Build(CancellationToken.None);
        Assert.Equal(2, builder.FilesHashed);

        clock.Now = touched.AddSeconds(5);
        builder.Build(CancellationToken.None); // hashed once more, now trusted
        builder.Build(CancellationToken.None);
        Assert.Equal(3, builder.FilesHashed);
    }

    [Fact]
    public async Task Content_is_served_by_hash_and_only_while_the_file_is_unchanged()
    {
        _temp.Write("a/data.txt", "some data");
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());
        var sha = builder.Build(CancellationToken.None).Entries.Single(e => e.Path == "a/data.txt").Sha256!;

        Assert.True(builder.TryOpenContent(sha, out var content));
        using (content)
        {
            Assert.Equal("some data", await new StreamReader(content).ReadToEndAsync());
        }

        Assert.False(builder.TryOpenContent(new string('0', 64), out _));
        _temp.Write("a/data.txt", "other data");
        Assert.False(builder.TryOpenContent(sha, out _));
    }

    [Fact]
    public void Content_is_not_served_through_a_folder_swapped_for_a_link()
    {
        // The outside file is a hard link to the scanned one: same inode, same status. Only a walk that
        // refuses links keeps the agent from serving it once the folder is replaced by a link to outside.
        _temp.Write("d/f.txt", "inside");
        File.Delete(Path.Join(_temp.Outside, "f.txt"));
        HardLink(_temp.InWorkspace("d/f.txt"), Path.Join(_temp.Outside, "f.txt"));
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());
        var sha = builder.Build(CancellationToken.None).Entries.Single(e => e.Path == "d/f.txt").Sha256!;

        Directory.Move(_temp.InWorkspace("d"), _temp.InWorkspace("d-moved"));
        File.CreateSymbolicLink(_temp.InWorkspace("d"), _temp.Outside);

        Assert.False(builder.TryOpenContent(sha, out _));
        var rebuilt = builder.Build(CancellationToken.None);
        Assert.Equal(["d", "d-moved", "d-moved/f.txt"], rebuilt.Entries.Select(e => e.Path));
        Assert.Equal(ManifestKinds.Symlink, rebuilt.Entries[0].Kind);
    }

    [Fact]
    public void A_fifo_is_skipped_without_blocking_the_scan()
    {
        _temp.Write("a.txt", "a");
        Run("mkfifo", _temp.InWorkspace("pipe"));
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());

        var manifest = builder.Build(CancellationToken.None);

        Assert.Equal(["a.txt"], manifest.Entries.Select(e => e.Path));
    }

    [Fact]
    public void A_missing_workspace_gives_an_empty_manifest()
    {
        using var builder = new WorkspaceManifestBuilder(Path.Join(_temp.Root, "absent"));

        var manifest = builder.Build(CancellationToken.None);

        Assert.Empty(manifest.Entries);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", manifest.Digest);
    }

    [Fact]
    public void A_cancelled_scan_stops()
    {
        _temp.Write("a.txt", "a");
        using var builder = new WorkspaceManifestBuilder(_temp.Workspace);

        Assert.Throws<OperationCanceledException>(() => builder.Build(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void An_unchanged_rebuild_of_ten_thousand_files_only_walks()
    {
        for (var d = 0; d < 100; d++)
        {
            var dir = Directory.CreateDirectory(_temp.InWorkspace($"pkg{d:D3}/src")).FullName;
            for (var f = 0; f < 100; f++)
            {
                File.WriteAllText(Path.Join(dir, $"file{f:D3}.txt"), $"package {d} file {f}\n");
            }
        }

        using var builder = new WorkspaceManifestBuilder(_temp.Workspace, SetClock.AnHourAhead());
        var cold = Stopwatch.StartNew();
        var first = builder.Build(CancellationToken.None);
        cold.Stop();
        var warm = Stopwatch.StartNew();
        var second = builder.Build(CancellationToken.None);
        warm.Stop();

        Assert.Equal(10_200, second.Entries.Count);
        Assert.Equal(10_000, builder.FilesHashed);
        Assert.Equal(first.Digest, second.Digest);
        _output.WriteLine($"10,000 files: first scan {cold.ElapsedMilliseconds} ms, unchanged rescan {warm.ElapsedMilliseconds} ms");
    }

    private string Sha(string relative) => TreeListing.Sha256Of(_temp.InWorkspace(relative));

    private static void HardLink(string existing, string link) => Run("ln", existing, link);

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), $"{program} did not finish");
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }
}
