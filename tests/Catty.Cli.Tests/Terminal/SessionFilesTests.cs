using System.Security.Cryptography;
using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Terminal;

/// <summary>Files both ways while connected: the session's changes arrive in the folder, pasted files reach the session.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionFilesTests(CliServer server) : TerminalTest(server)
{
    [Fact]
    public async Task Files_created_modified_and_deleted_in_the_session_arrive_in_the_folder()
    {
        Home.Write("notes.txt", "from the laptop\n");
        Home.Write("gone.txt", "deleted in the session\n");
        await StartShellSessionAsync();

        await Terminal.RunAsync("mkdir -p made/deep && printf 'new\\n' > made/deep/new.txt && printf '#!/bin/sh\\n' > tool.sh && chmod +x tool.sh"
            + " && printf 'edited\\n' >> notes.txt && rm gone.txt && echo done-$((1+1))");
        await Terminal.WaitForAsync("done-2");

        var project = Home.Project;
        await Poll.UntilAsync(
            // Every change in full: a file may first arrive empty or without its mode, then again complete.
            () => File.Exists(Path.Combine(project, "made/deep/new.txt")) && File.ReadAllText(Path.Combine(project, "made/deep/new.txt")) == "new\n"
                && File.Exists(Path.Combine(project, "tool.sh")) && File.GetUnixFileMode(Path.Combine(project, "tool.sh")).HasFlag(UnixFileMode.UserExecute)
                && !File.Exists(Path.Combine(project, "gone.txt")) && File.ReadAllText(Path.Combine(project, "notes.txt")).Contains("edited", StringComparison.Ordinal),
            "the session's changes in the local folder",
            describe: () => string.Join('\n', Directory.EnumerateFileSystemEntries(project, "*", SearchOption.AllDirectories)));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(project, "made/deep/new.txt")));
        Assert.Equal("from the laptop\nedited\n", File.ReadAllText(Path.Combine(project, "notes.txt")));
        Assert.True(File.GetUnixFileMode(Path.Combine(project, "tool.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(project, "notes.txt")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task A_pasted_file_path_is_uploaded_and_its_session_path_is_typed_in_its_place()
    {
        var image = Path.Combine(Home.Root, "screen shot.png");
        var content = new byte[3 * 1024 * 1024 + 123];
        new Random(5).NextBytes(content);
        await File.WriteAllBytesAsync(image, content);
        await StartShellSessionAsync("--no-sync-back");

        await Terminal.TypeAsync("sha256sum ");
        await Terminal.PasteAsync(image.Replace(" ", "\\ ", StringComparison.Ordinal));
        await Terminal.KeyAsync("Enter");

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var line = await Terminal.WaitForAsync(new System.Text.RegularExpressions.Regex(hash + @"\s+(/\S+/\.catty-uploads/screen-shot-[0-9a-f]{6}\.png)"));
        Assert.DoesNotContain(image, await Terminal.ScreenAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/workspace/.catty-uploads/", line.Groups[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ordinary_paste_goes_through_unchanged()
    {
        await StartShellSessionAsync("--no-sync-back");

        await Terminal.TypeAsync("echo ");
        await Terminal.PasteAsync("pasted-$((3*3)) /not/a/file.png");
        await Terminal.KeyAsync("Enter");

        await Terminal.WaitForAsync("pasted-9 /not/a/file.png");
    }
}
