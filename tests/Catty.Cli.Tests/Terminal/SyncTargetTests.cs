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
        // The line after the screen replay stays; what was printed before it may be drawn over by the replay.
        await Terminal.WaitForAsync($"| sync-back to {other} |");
        await WaitForRemotePromptAsync(session);
        await Terminal.RunAsync("printf 'y\\n' > chosen.txt && echo chosen-$((1+1))");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(other, "chosen.txt")), "the change in the chosen folder");
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Come back with: catty connect {session.Label}");
        await Terminal.RunAsync($"{Catty} connect {session.Label}");
        await WaitForRemotePromptAsync(session);
        await Terminal.WaitForAsync($"{session.Label} | sync-back to {other} |");
    }

    [Fact]
    public async Task A_remote_deletion_keeps_a_file_edited_here_and_deletes_an_untouched_one()
    {
        Home.Write("edited.txt", "uploaded\n");
        Home.Write("untouched.txt", "uploaded\n");
        var session = await StartShellSessionAsync();
        var edited = Path.Combine(Home.Project, "edited.txt");
        await File.WriteAllTextAsync(edited, "my local edit, not uploaded\n");

        // Sync-back sends what changes after its first look at the workspace, which the session's shell
        // cannot see happen: a loop in the session rewrites a file until one of its writes arrives here.
        await Terminal.RunAsync("for i in $(seq 300); do echo $i > live.txt; sleep 0.1; done &");
        await Poll.UntilAsync(() => File.Exists(Path.Combine(Home.Project, "live.txt")), "sync-back to be live",
            describe: () => Terminal.ScreenAsync().GetAwaiter().GetResult());
        await Terminal.RunAsync("kill %1");
        await Terminal.RunAsync("rm edited.txt untouched.txt && echo removed-$((1+1))");
        await Terminal.WaitForAsync("removed-2");
        await Poll.UntilAsync(() => !File.Exists(Path.Combine(Home.Project, "untouched.txt")), "the untouched file to be deleted",
            describe: () => Terminal.ScreenAsync().GetAwaiter().GetResult());
        await Terminal.WaitForAsync("sync-back kept 'edited.txt': it was changed here since catty last wrote it");
        await Terminal.KeyAsync("C-\\");

        await Terminal.WaitForAsync(new System.Text.RegularExpressions.Regex(@"Sync-back: \d+ files? written, 1 deleted, 1 kept \(changed here: edited\.txt\)\."));
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
