using System.Diagnostics;
using System.IO.Compression;
using Catty.Cli.Tests.Infrastructure;
using Catty.Cli.Workspace;

namespace Catty.Cli.Tests.Units;

/// <summary>What an upload takes from a folder, checked against git itself on the same tree.</summary>
public sealed class GitIgnoreTests : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public async Task The_upload_holds_exactly_the_files_git_does_not_ignore()
    {
        Write(".gitignore", string.Join('\n',
            "# a comment",
            "*.tmp",
            "!keep.tmp",
            "build/",
            "!build/keep.txt",
            "/root-only.txt",
            "docs/**/*.draft",
            "**/cache",
            "trailing.txt   ",
            "a/b/c.txt",
            "out",
            "dir/*",
            "!dir/keep",
            "*.o",
            "!gen",
            "/*.c",
            ""));
        Write("sub/.gitignore", "!y.tmp\nlocal/\n*.md\n");
        Write("other/.gitignore", "secret.txt\r\nplain.txt\r\n");
        foreach (var file in new[]
        {
            "x.tmp", "keep.tmp", "sub/y.tmp", "sub/z.tmp", "sub/keep.tmp", "sub/local/l.txt", "sub/z.md", "README.md",
            "build/a.txt", "build/keep.txt", "src/build/b.txt", "src/build.txt",
            "root-only.txt", "sub/root-only.txt",
            "docs/x/y/z.draft", "docs/z.draft", "other/z.draft",
            "cache/c.txt", "src/cache/c.txt",
            "trailing.txt", "a/b/c.txt", "x/a/b/c.txt",
            "out", "out2", "dir/keep", "dir/other",
            "gen/x.o", "gen/x.c", "x.c", "src/y.c",
            "other/secret.txt", "other/plain.txt", "other/kept.txt",
            "excluded-by-info.txt", "plain.txt",
        })
        {
            Write(file, file);
        }

        await GitAsync("init", "-q", ".");
        Write(".git/info/exclude", "excluded-by-info.txt\n");

        var ours = Files(new WorkspaceFilter(includeGit: false));
        var git = (await GitAsync("ls-files", "--others", "--exclude-standard"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(git, ours);
        Assert.Contains("sub/y.tmp", ours);
        Assert.DoesNotContain("build/keep.txt", ours);
        Assert.DoesNotContain("gen/x.o", ours);
        Assert.Contains("src/y.c", ours);
        Assert.DoesNotContain("trailing.txt", ours);
    }

    [Fact]
    public void Default_exclusions_apply_at_any_depth_and_no_negation_brings_them_back()
    {
        Write(".gitignore", "!.env\n!*.log\n!node_modules/\n");
        foreach (var file in new[]
        {
            "node_modules/a/index.js", "web/node_modules/b.js", "__pycache__/m.pyc", "pkg/__pycache__/n.cpython.pyc", "lib/x.pyc",
            ".venv/bin/python", "venv/lib/y.py", ".env", "app/.env", ".DS_Store", "logs/run.log", "debug.log",
            "kept.py", "app/.env.example", "venvs.txt",
        })
        {
            Write(file, file);
        }

        var files = Files(new WorkspaceFilter(includeGit: true));

        Assert.Equal([".gitignore", "app/.env.example", "kept.py", "venvs.txt"], files);
    }

    [Fact]
    public void Git_goes_whole_unless_left_out_and_ignore_rules_never_apply_inside_it()
    {
        Write(".gitignore", "*.pack\nobjects/\n");
        Write(".git/HEAD", "ref: refs/heads/main\n");
        Write(".git/objects/pack/p.pack", "pack");
        Write("a.pack", "ignored outside .git");

        Assert.Equal([".git/HEAD", ".git/objects/pack/p.pack", ".gitignore"], Files(new WorkspaceFilter(includeGit: true)));
        Assert.Equal([".gitignore"], Files(new WorkspaceFilter(includeGit: false)));
    }

    [Fact]
    public void Links_fifos_and_sockets_are_left_out_and_named_and_a_link_to_a_folder_is_never_followed()
    {
        var outside = Path.Combine(_home.Root, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "private.key"), "never uploaded");
        Write("real.txt", "real");
        File.CreateSymbolicLink(Path.Combine(_home.Project, "to-outside"), outside);
        File.CreateSymbolicLink(Path.Combine(_home.Project, "link.txt"), "real.txt");
        Assert.Equal(0, SpecialFiles.MkFifo(Path.Combine(_home.Project, "pipe"), 0x1A4));

        var listing = WorkspaceScanner.Scan(_home.Project, new WorkspaceFilter(includeGit: true));

        Assert.Equal(["real.txt"], listing.Entries.Where(e => !e.IsDirectory).Select(e => e.Path));
        Assert.Equal(["link.txt (symbolic link)", "pipe (FIFO)", "to-outside (symbolic link)"], listing.Unsupported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_zip_keeps_executable_bits_and_empty_folders_and_stops_past_its_limit()
    {
        Write("run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(_home.Project, "run.sh"), (UnixFileMode)0x1ED);
        Write("notes.txt", "plain");
        Directory.CreateDirectory(Path.Combine(_home.Project, "empty"));
        var listing = WorkspaceScanner.Scan(_home.Project, new WorkspaceFilter(includeGit: true));

        using var zipped = new MemoryStream();
        Assert.True(WorkspaceZip.Write(listing, zipped));
        zipped.Position = 0;
        using var zip = new ZipArchive(zipped, ZipArchiveMode.Read);
        Assert.Equal(0x81ED, (int)((uint)zip.GetEntry("run.sh")!.ExternalAttributes >> 16));
        Assert.Equal(0x81A4, (int)((uint)zip.GetEntry("notes.txt")!.ExternalAttributes >> 16));
        Assert.Equal(0x4000, (int)((uint)zip.GetEntry("empty/")!.ExternalAttributes >> 16) & 0xF000);

        using var small = new MemoryStream();
        Assert.False(WorkspaceZip.Write(listing, small, limit: 10));
    }

    public void Dispose() => _home.Dispose();

    private List<string> Files(WorkspaceFilter filter) =>
        [.. WorkspaceScanner.Scan(_home.Project, filter).Entries.Where(e => !e.IsDirectory).Select(e => e.Path).Order(StringComparer.Ordinal)];

    private void Write(string relative, string content) => _home.Write(relative, content);

    private async Task<string> GitAsync(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _home.Project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var git = Process.Start(start)!;
        var output = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {await git.StandardError.ReadToEndAsync()}");
        return output;
    }
}
