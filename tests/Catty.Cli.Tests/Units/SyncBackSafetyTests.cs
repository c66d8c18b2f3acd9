using System.Text;
using Catty.Cli.SyncBack;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Terminal;

namespace Catty.Cli.Tests.Units;

/// <summary>
/// Sync-back applies what the session sends to the local folder, and nothing a hostile session sends can
/// reach outside it, write through a link, make a device or FIFO, or set bits it was not sent.
/// </summary>
public sealed class SyncBackSafetyTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly string _project;
    private readonly string _sibling;
    private readonly SyncBackApplier _applier;

    public SyncBackSafetyTests()
    {
        // "proj" and "proj-evil" share a prefix: a string check on "starts with proj" would let the second through.
        _project = Path.Combine(_home.Root, "proj");
        _sibling = Path.Combine(_home.Root, "proj-evil");
        Directory.CreateDirectory(_sibling);
        _applier = new SyncBackApplier(new ConfinedFolder(_project));
    }

    [Fact]
    public void Created_modified_and_deleted_files_arrive()
    {
        Assert.True(Apply(Write("src/new.txt", "created")).Applied);
        Assert.Equal("created", Read("src/new.txt"));

        Assert.True(Apply(Write("src/new.txt", "modified")).Applied);
        Assert.Equal("modified", Read("src/new.txt"));

        Assert.True(Apply(new FileChangeMessage("delete", "src/new.txt")).Applied);
        Assert.False(File.Exists(Path.Combine(_project, "src/new.txt")));
        Assert.Equal((2, 1), (_applier.Written, _applier.Deleted));
        Assert.Empty(_applier.Refused);
    }

    [Fact]
    public void A_sibling_folder_with_a_shared_prefix_is_outside()
    {
        var result = Apply(Write("../proj-evil/payload.sh", "pwned"));

        AssertRefused(result, "climbs out of the folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sibling));
    }

    [Fact]
    public void An_absolute_path_is_refused()
    {
        var target = Path.Combine(_sibling, "abs.txt");

        var result = Apply(Write(target, "pwned"));

        AssertRefused(result, "absolute path");
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void A_path_through_a_symbolic_link_is_refused_even_when_the_link_points_inside()
    {
        Directory.CreateDirectory(Path.Combine(_project, "real"));
        File.CreateSymbolicLink(Path.Combine(_project, "escape"), _sibling);
        File.CreateSymbolicLink(Path.Combine(_project, "inside"), Path.Combine(_project, "real"));

        AssertRefused(Apply(Write("escape/payload.txt", "pwned")), "goes through the symbolic link 'escape'");
        AssertRefused(Apply(Write("inside/file.txt", "no")), "goes through the symbolic link 'inside'");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sibling));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_project, "real")));
    }

    [Fact]
    public void A_link_in_place_of_the_file_is_neither_followed_nor_replaced()
    {
        var victim = Path.Combine(_sibling, "victim.txt");
        File.WriteAllText(victim, "original");
        File.CreateSymbolicLink(Path.Combine(_project, "notes.txt"), victim);

        AssertRefused(Apply(Write("notes.txt", "pwned")), "is a symbolic link");
        AssertRefused(Apply(new FileChangeMessage("delete", "notes.txt")), "is a symbolic link");
        Assert.Equal("original", File.ReadAllText(victim));
        Assert.NotNull(new FileInfo(Path.Combine(_project, "notes.txt")).LinkTarget);
    }

    [Fact]
    public void A_fifo_or_a_device_is_never_written_and_never_made()
    {
        Directory.CreateDirectory(_project);
        Assert.Equal(0, SpecialFiles.MkFifo(Path.Combine(_project, "pipe"), 0x1A4));
        Assert.Equal(0, SpecialFiles.MkNod(Path.Combine(_project, "null"), 0x21A4, (1UL << 8) | 3));

        AssertRefused(Apply(Write("pipe", "would block")), "is a FIFO");
        AssertRefused(Apply(Write("null", "into a device")), "is a device file");
        AssertRefused(Apply(new FileChangeMessage("delete", "null")), "is a device file");
        AssertRefused(Apply(Write("made-fifo", "x", mode: 0x11A4)), "makes it a FIFO");
        AssertRefused(Apply(Write("made-device", "x", mode: 0x21A4)), "makes it a device file");
        AssertRefused(Apply(Write("made-block", "x", mode: 0x61A4)), "makes it a device file");
        AssertRefused(Apply(Write("made-link", "x", mode: 0xA1FF)), "makes it a symbolic link");
        Assert.False(Path.Exists(Path.Combine(_project, "made-fifo")));
        Assert.False(Path.Exists(Path.Combine(_project, "made-device")));
        Assert.Equal(Catty.Cli.Native.FileKind.Fifo, SpecialFiles.FileKindOf(Path.Combine(_project, "pipe")));
        Assert.Equal(Catty.Cli.Native.FileKind.CharacterDevice, SpecialFiles.FileKindOf(Path.Combine(_project, "null")));
    }

    [Fact]
    public void Setuid_setgid_and_sticky_modes_are_refused()
    {
        AssertRefused(Apply(Write("suid", "x", mode: 0x9ED)), "setuid");
        AssertRefused(Apply(Write("sgid", "x", mode: 0x5ED)), "setuid");
        AssertRefused(Apply(Write("sticky", "x", mode: 0x3ED)), "setuid");
        Assert.False(Path.Exists(Path.Combine(_project, "suid")));
    }

    [Fact]
    public void The_executable_bit_is_kept_only_when_the_session_sent_it()
    {
        Apply(Write("tool.sh", "#!/bin/sh\n", mode: 0x1ED));
        Apply(Write("data.txt", "plain", mode: 0x1FF & ~0x49));
        Apply(Write("odd.sh", "#!/bin/sh\n", mode: 0x1C0));

        var tool = File.GetUnixFileMode(Path.Combine(_project, "tool.sh"));
        Assert.True(tool.HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(_project, "data.txt")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(0, (int)tool & 0xE00);

        // A file that loses its executable bit remotely loses it here.
        Apply(Write("tool.sh", "#!/bin/sh\n", mode: 0x1A4));
        Assert.False(File.GetUnixFileMode(Path.Combine(_project, "tool.sh")).HasFlag(UnixFileMode.UserExecute));

        // Only read-allowed classes get execute, nothing more than the local default allows.
        var odd = (int)File.GetUnixFileMode(Path.Combine(_project, "odd.sh"));
        Assert.Equal((odd & 0x124) >> 2, odd & 0x49);
    }

    [Fact]
    public void Writes_into_git_and_malformed_paths_and_content_are_refused()
    {
        AssertRefused(Apply(Write(".git/hooks/post-checkout", "#!/bin/sh\nrm -rf ~\n", mode: 0x1ED)), ".git");
        AssertRefused(Apply(Write("sub/.GIT/config", "x")), ".git");
        AssertRefused(Apply(Write("a//b", "x")), "empty component");
        AssertRefused(Apply(Write("./a", "x")), "'.' component");
        AssertRefused(Apply(Write("a\\..\\..\\b", "x")), "backslash");
        AssertRefused(Apply(Write("", "x")), "empty");
        AssertRefused(Apply(new FileChangeMessage("write", "bad.bin", "not base64!")), "base64");
        AssertRefused(Apply(new FileChangeMessage("chmod", "x")), "not write or delete");
        Assert.Equal(8, _applier.Refused.Count);
        Assert.Contains("8 refused", _applier.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_in_place_of_the_file_is_not_replaced()
    {
        Directory.CreateDirectory(Path.Combine(_project, "dir", "child"));

        AssertRefused(Apply(Write("dir", "x")), "is a folder");
        AssertRefused(Apply(new FileChangeMessage("delete", "dir")), "is a folder");
        Assert.True(Directory.Exists(Path.Combine(_project, "dir", "child")));
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Paths_under_the_announced_workspace_folder_are_applied_and_every_escape_stays_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_project, "link"), _sibling);
        _applier.WorkspaceDir = "/workspace";

        Assert.True(Apply(Write("/workspace/src/x.ts", "export {};\n")).Applied);
        Assert.True(Apply(Write("plain.txt", "still relative")).Applied);
        AssertRefused(Apply(Write("/workspace2/evil.txt", "pwned")), "absolute path");
        AssertRefused(Apply(Write("/workspace-evil/evil.txt", "pwned")), "absolute path");
        AssertRefused(Apply(Write("/workspace/../proj-evil/evil.txt", "pwned")), "climbs out of the folder");
        AssertRefused(Apply(Write("/workspace//etc/evil.txt", "pwned")), "absolute path");
        AssertRefused(Apply(Write("/workspace/./evil.txt", "pwned")), "'.' component");
        AssertRefused(Apply(Write("/workspace", "pwned")), "absolute path");
        AssertRefused(Apply(Write("/workspace/", "pwned")), "absolute path");
        AssertRefused(Apply(Write("/etc/evil.txt", "pwned")), "absolute path");
        AssertRefused(Apply(Write(Path.Combine(_sibling, "evil.txt"), "pwned")), "absolute path");
        AssertRefused(Apply(Write("/workspace/link/evil.txt", "pwned")), "symbolic link 'link'");
        AssertRefused(Apply(Write("/workspace/setuid", "x", mode: 0x9ED)), "setuid");
        AssertRefused(Apply(Write("/workspace/.git/hooks/pre-commit", "#!/bin/sh\n", mode: 0x1ED)), "inside a .git folder");
        Assert.True(Apply(new FileChangeMessage("delete", "/workspace/src/x.ts")).Applied);

        Assert.Equal("still relative", Read("plain.txt"));
        Assert.False(File.Exists(Path.Combine(_project, "src/x.ts")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sibling));
        Assert.Equal((2, 1, 12), (_applier.Written, _applier.Deleted, _applier.Refused.Count));
    }

    [Theory]
    [InlineData("/workspace/a/b", "/workspace", "a/b")]
    [InlineData("/workspace/a/b", "/workspace/", "a/b")]
    [InlineData("/workspace2/a", "/workspace", "/workspace2/a")]
    [InlineData("/etc/passwd", "/", "/etc/passwd")]
    [InlineData("/w/a", "w", "/w/a")]
    [InlineData("/workspace/a", null, "/workspace/a")]
    [InlineData("a/b", "/workspace", "a/b")]
    public void Only_exactly_the_announced_prefix_is_taken_off(string path, string? workspaceDir, string expected) =>
        Assert.Equal(expected, SyncBackApplier.SessionRelative(path, workspaceDir));

    [Fact]
    public void A_deletion_keeps_a_file_changed_here_or_never_written_by_catty()
    {
        Assert.True(Apply(Write("mine.txt", "from the session")).Applied);
        File.WriteAllText(Path.Combine(_project, "mine.txt"), "edited here");
        File.WriteAllText(Path.Combine(_project, "local.txt"), "never synced");

        var changed = Apply(new FileChangeMessage("delete", "mine.txt"));
        var unknown = Apply(new FileChangeMessage("delete", "local.txt"));

        Assert.Equal("it was changed here since catty last wrote it", changed.KeptBecause);
        Assert.NotNull(unknown.KeptBecause);
        Assert.Equal("edited here", Read("mine.txt"));
        Assert.Equal("never synced", Read("local.txt"));
        Assert.Equal((0, 2), (_applier.Deleted, _applier.Kept.Count));
        Assert.Empty(_applier.Refused);
    }

    private ChangeResult Apply(FileChangeMessage change) => _applier.Apply(change);

    private static FileChangeMessage Write(string path, string content, int? mode = 0x1A4) =>
        new("write", path, Convert.ToBase64String(Encoding.UTF8.GetBytes(content)), mode);

    private string Read(string path) => File.ReadAllText(Path.Combine(_project, path));

    private static void AssertRefused(ChangeResult result, string reason)
    {
        Assert.False(result.Applied, $"'{result.Path}' was applied");
        Assert.Contains(reason, result.Refusal, StringComparison.Ordinal);
    }
}
