using System.Security.Cryptography;
using Catty.Cli.Downloads;
using Catty.Cli.Tests.Infrastructure;
using Catty.Cli.Workspace;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Commands;

/// <summary>download and sync bring a session's workspace back exactly, and never overwrite or escape.</summary>
[Collection(ServerCollection.Name)]
public sealed class DownloadAndSyncTests(CliServer server) : IAsyncLifetime
{
    private readonly TestHome _home = new();
    private CreateSessionResponse _session = null!;
    private string _workspace = null!;

    public async Task InitializeAsync()
    {
        _home.SignIn(server.BaseAddress);
        _session = await server.CreateShellAsync();
        _workspace = server.WorkspaceOf(_session.MachineId);

        // The workspace as `catty new` would upload it, then a link made inside the session.
        using var source = new TestHome();
        source.Write("README.md", "# project\n");
        source.Write(".gitignore", "build/\n");
        source.Write("src/app.py", "print('app')\n");
        source.Write("src/deep/er/data.json", "{\"a\": 1}\n");
        source.Write("bin/run.sh", "#!/bin/sh\necho run\n");
        File.SetUnixFileMode(Path.Combine(source.Project, "bin/run.sh"), (UnixFileMode)0x1ED);
        Directory.CreateDirectory(Path.Combine(source.Project, "empty"));
        var (zip, _) = WorkspaceUpload.Pack(source.Project, new WorkspaceFilter(includeGit: true));
        await using (zip)
        {
            using var http = new HttpClient();
            await WorkspaceUpload.SendAsync(http, _session.ConnectUrl, _session.ConnectToken, zip, new Progress<long>(), CancellationToken.None);
        }

        File.CreateSymbolicLink(Path.Combine(_workspace, "src", "current"), "deep/er");
        var taken = await server.Api.TakeSnapshotAsync(_session.Label);
        Assert.Equal("taken", taken.Outcome);
    }

    public async Task DisposeAsync()
    {
        await server.Api.StopSessionAsync(_session.Label);
        _home.Dispose();
    }

    [Fact]
    public async Task Download_as_a_folder_equals_the_workspace_with_modes_and_links()
    {
        var result = await Catty(null, "download", _session.Label);

        Assert.True(result.ExitCode == 0, result.ToString());
        var folder = Path.Combine(_home.Project, _session.Label);
        Assert.Equal(Tree(_workspace), Tree(folder));
        Assert.True(File.GetUnixFileMode(Path.Combine(folder, "bin/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(folder, "README.md")).HasFlag(UnixFileMode.UserExecute));
        Assert.True(Directory.Exists(Path.Combine(folder, "empty")));
        Assert.Equal("deep/er", new FileInfo(Path.Combine(folder, "src/current")).LinkTarget);
        Assert.Contains("Downloaded", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_as_tar_gz_saves_the_archive_to_the_path_given()
    {
        var result = await Catty(null, "download", _session.Label, "backup.tar.gz", "--format", "tar.gz");

        Assert.True(result.ExitCode == 0, result.ToString());
        var archive = Path.Combine(_home.Project, "backup.tar.gz");
        var link = await server.Api.GetDownloadAsync(_session.Label);
        Assert.Equal(link.SizeBytes, new FileInfo(archive).Length);
        using var http = new HttpClient();
        Assert.Equal(SHA256.HashData(await http.GetByteArrayAsync(link.DownloadUrl)), SHA256.HashData(await File.ReadAllBytesAsync(archive)));
    }

    [Fact]
    public async Task Download_never_overwrites_an_existing_folder_or_file()
    {
        var existing = Path.Combine(_home.Project, _session.Label);
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "mine.txt"), "mine");
        _home.Write("taken.tar.gz", "mine");

        var folder = await Catty(null, "download", _session.Label);
        var archive = await Catty(null, "download", _session.Label, "taken.tar.gz", "--format", "tar.gz");

        Assert.Equal(1, folder.ExitCode);
        Assert.Contains("already exists, and download never overwrites", folder.Err, StringComparison.Ordinal);
        Assert.Equal(["mine.txt"], Directory.EnumerateFileSystemEntries(existing).Select(Path.GetFileName));
        Assert.Equal(1, archive.ExitCode);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_home.Project, "taken.tar.gz")));
    }

    [Fact]
    public async Task Sync_dry_run_lists_what_would_change_and_sync_then_makes_the_folder_equal()
    {
        _home.Write("README.md", "# stale copy\n");
        _home.Write("src/app.py", "print('app')\n");
        _home.Write("bin/run.sh", "#!/bin/sh\necho run\n");
        _home.Write("old.txt", "deleted in the session\n");
        _home.Write(".gitignore", "build/\n");
        _home.Write("build/out.bin", "ignored: sync leaves it alone\n");
        _home.Write(".env", "LOCAL=1\n");
        _home.Write(".git/HEAD", "ref: refs/heads/main\n");
        _home.Write("node_modules/x/index.js", "dependency\n");

        var dry = await Catty(null, "sync", _session.Label, "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("  create  src/deep/er/data.json", dry.Out, StringComparison.Ordinal);
        Assert.Contains("  change  README.md", dry.Out, StringComparison.Ordinal);
        Assert.Contains("  change  bin/run.sh", dry.Out, StringComparison.Ordinal);
        Assert.Contains("  delete  old.txt", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("src/app.py", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("build/out.bin", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(".env", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(".git/", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", dry.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(".gitignore", dry.Out, StringComparison.Ordinal);
        Assert.Contains("1 to create, 2 to change, 1 to delete. Run without --dry-run to apply.", dry.Out, StringComparison.Ordinal);
        Assert.Equal("# stale copy\n", File.ReadAllText(Path.Combine(_home.Project, "README.md")));
        Assert.True(File.Exists(Path.Combine(_home.Project, "old.txt")));

        var applied = await Catty(null, "sync", _session.Label);

        Assert.True(applied.ExitCode == 0, applied.ToString());
        // Equal to the workspace, links aside (sync makes files), with what sync never touches still here.
        Assert.Equal(Without(Tree(_workspace), "src/current"), Without(Tree(_home.Project), "build", ".env"));
        Assert.All(new[] { ".env", ".git/HEAD", "build/out.bin", "node_modules/x/index.js" }, path => Assert.True(File.Exists(Path.Combine(_home.Project, path)), path));
        Assert.True(File.GetUnixFileMode(Path.Combine(_home.Project, "bin/run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Contains("Already in sync.", (await Catty(null, "sync", _session.Label, "--dry-run")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_without_a_snapshot_says_when_one_comes()
    {
        // A server of its own whose first snapshot waits an hour: on the shared one, a slow start could let the
        // 10 s first snapshot happen before the download asks.
        await using var later = await CliServer.StartAsync(new Dictionary<string, string> { ["Catty__Snapshots__FirstDelay"] = "01:00:00" });
        using var home = new TestHome();
        home.SignIn(later.BaseAddress);
        var fresh = await later.CreateShellAsync();

        var result = await CattyProcess.RunAsync(home, later.BaseAddress, null, "download", fresh.Label);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no snapshot yet", result.Err, StringComparison.Ordinal);
        Assert.Contains("10 seconds", result.Err, StringComparison.Ordinal);
    }

    private static List<string> Without(List<string> tree, params string[] paths) =>
        [.. tree.Where(entry => !paths.Any(p => entry.StartsWith(p + " ", StringComparison.Ordinal) || entry.StartsWith(p + "/", StringComparison.Ordinal)))];

    private Task<CattyResult> Catty(string? input, params string[] args) => CattyProcess.RunAsync(_home, server.BaseAddress, input, args);

    /// <summary>Every entry under a folder as "path kind hash-or-target exec", leaving out what snapshots leave out.</summary>
    private static List<string> Tree(string root)
    {
        var entries = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            if (relative.Split('/').Any(part => SyncPlan.SnapshotExclusions.Contains(part) || part == ".catty-uploads"))
            {
                continue;
            }

            var info = new FileInfo(path);
            entries.Add(info.LinkTarget is { } target ? $"{relative} link {target}"
                : Directory.Exists(path) ? $"{relative} dir"
                : $"{relative} file {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))} {(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute) ? "x" : "-")}");
        }

        entries.Sort(StringComparer.Ordinal);
        return entries;
    }
}
