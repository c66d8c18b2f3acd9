using Catty.Cli.Tests.Infrastructure;

namespace Catty.Cli.Tests.Terminal;

/// <summary>
/// Sync-back writes only into the folder a session came from, deletes only what catty itself put there,
/// and what catty prints about the session stays on screen after the session's screen is drawn.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SyncTargetTests(CliServer server) : TerminalTest(server)
{
    [Fact]
    public async Task Connecting_from_another_folder_writes_and_deletes_nothing_there_and_says_how_to_choose()
    {
        Home.Write("README.md", "the project's readme\n");
        var session = await StartShellSessionAsync();
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Detached from {session.Label}");
        var other = Path.Combine(Home.Root, "unrelated");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "README.md"), "someone else's readme\n");

        await Terminal.RunAsync($"cd {other} && {Catty} connect {session.Label}");
        await Terminal.WaitForAsync($"Sync-back is off: {session.Label} syncs to {Home.Project}, not this folder; connect from there, or choose this one with --sync-to .");
        await WaitForRemotePromptAsync(session);
        await Terminal.RunAsync("rm README.md && printf 'x\\n' > created.txt && echo changed-$((1+1))");
        await Terminal.WaitForAsync("changed-2");
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Come back with: catty connect {session.Label}");

        Assert.Equal("someone else's readme\n", await File.ReadAllTextAsync(Path.Combine(other, "README.md")));
        Assert.Equal(["README.md"], Directory.EnumerateFileSystemEntries(other).Select(Path.GetFileName));
        Assert.DoesNotContain("Sync-back: 0 files written", await Terminal.ScreenAsync(), StringComparison.Ordinal);

        // Chosen on purpose, the same folder gets the session's changes, and is remembered for next time.
        await Terminal.RunAsync($"{Catty} connect {session.Label} --sync-to .");
        await Terminal.WaitForAsync($"Sync-back: the session's file changes are applied to {other} (chosen with --sync-to)");
        await WaitForRemotePromptAsync(session);
        await Terminal.RunAsync("printf 'y\\n' > chosen.txt && echo chosen-$((1+1))");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(other, "chosen.txt")), "the change in the chosen folder");
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Come back with: catty connect {session.Label}");
        await Terminal.RunAsync($"{Catty} connect {session.Label}");
        await WaitForRemotePromptAsync(session);
        await Terminal.WaitForAsync(new System.Text.RegularExpressions.Regex(
            $"Sync-back: the session's file changes are applied to {System.Text.RegularExpressions.Regex.Escape(other)}$", System.Text.RegularExpressions.RegexOptions.Multiline));
    }

    [Fact]
    public async Task A_remote_deletion_keeps_a_file_edited_here_and_deletes_an_untouched_one()
    {
        Home.Write("edited.txt", "uploaded\n");
        Home.Write("untouched.txt", "uploaded\n");
        var session = await StartShellSessionAsync();
        var edited = Path.Combine(Home.Project, "edited.txt");
        await File.WriteAllTextAsync(edited, "my local edit, not uploaded\n");

        // A change that arrives proves sync-back has taken its first look at the workspace: changes made
        // before that are part of its starting point and never sent.
        await Terminal.RunAsync("printf 'on\\n' > live.txt");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(Home.Project, "live.txt")), "sync-back to be live");
        await Terminal.RunAsync("rm edited.txt untouched.txt && echo removed-$((1+1))");
        await Terminal.WaitForAsync("removed-2");
        await Poll.UntilAsync(() => !File.Exists(Path.Combine(Home.Project, "untouched.txt")), "the untouched file to be deleted",
            describe: () => Terminal.ScreenAsync().GetAwaiter().GetResult());
        await Terminal.WaitForAsync("sync-back kept 'edited.txt': it was changed here since catty last wrote it");
        await Terminal.KeyAsync("C-\\");

        await Terminal.WaitForAsync("Sync-back: 1 file written, 1 deleted, 1 kept (changed here: edited.txt).");
        Assert.Equal("my local edit, not uploaded\n", await File.ReadAllTextAsync(edited));
    }

    [Fact]
    public async Task The_label_upload_and_sync_back_target_stay_on_screen_after_the_replay_and_on_detach()
    {
        Home.Write("one.txt", "1\n");
        var session = await StartShellSessionAsync();
        await Terminal.WaitForAsync(new System.Text.RegularExpressions.Regex(
            $@"\[catty\] {session.Label} \| uploaded 1 file, [^|]+ \| sync-back to {System.Text.RegularExpressions.Regex.Escape(Home.Project)} \| Ctrl\+\\ detaches"));
        await EchoRoundTripAsync("after-intro");

        Assert.Contains($"[catty] {session.Label} | uploaded 1 file, ", await Terminal.ScreenAsync(), StringComparison.Ordinal);
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Detached from {session.Label}");

        await Terminal.RunAsync($"{Catty} connect {session.Label}");
        await WaitForRemotePromptAsync(session);
        await Terminal.WaitForAsync($"[catty] {session.Label} | sync-back to {Home.Project} | Ctrl+\\ detaches");
    }

    [Fact]
    public async Task An_empty_workspace_downloads_as_an_empty_folder()
    {
        var created = await Server.CreateShellAsync();
        await Server.Api.TakeSnapshotAsync(created.Label);

        var download = await CattyProcess.RunAsync(Home, ServerAddress, null, "download", created.Label);

        Assert.True(download.ExitCode == 0, download.ToString());
        var folder = Path.Combine(Home.Project, created.Label);
        Assert.True(Directory.Exists(folder), download.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
