using System.Text.RegularExpressions;
using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Terminal;

/// <summary><c>catty new</c> in a real terminal: upload, typing, window size, detaching.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class NewCommandTests(CliServer server) : TerminalTest(server)
{
    [Fact]
    public async Task New_uploads_the_folder_as_git_would_and_a_typed_command_shows_its_output()
    {
        Home.Write("src/main.py", "print('hi')\n");
        Home.Write(".gitignore", "*.o\n!keep.o\nbuild/\n");
        Home.Write("keep.o", "kept by a negation\n");
        Home.Write("drop.o", "ignored\n");
        Home.Write("build/out.bin", "ignored folder\n");
        Home.Write("node_modules/m/index.js", "default exclusion\n");
        Home.Write(".env", "SECRET=1\n");
        Home.Write("sub/.gitignore", "local.txt\n");
        Home.Write("sub/local.txt", "ignored by a nested .gitignore\n");
        Home.Write("sub/other.txt", "kept\n");

        var session = await StartShellSessionAsync();
        await EchoRoundTripAsync("typed");

        var workspace = Server.WorkspaceOf(session.MachineId);
        var uploaded = Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(workspace, f)).Where(f => !f.StartsWith(".catty", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([".gitignore", "keep.o", "src/main.py", "sub/.gitignore", "sub/other.txt"], uploaded);
    }

    [Fact]
    public async Task New_uploads_the_git_folder_whole_and_no_git_leaves_it_here()
    {
        Home.Write("README.md", "hello\n");
        Home.Write(".gitignore", "*.log\n");
        await GitAsync("init", "-q");
        await GitAsync("add", ".");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "first commit");

        var withGit = await StartShellSessionAsync();
        await Terminal.KeyAsync("C-\\");
        await Terminal.WaitForAsync($"Detached from {withGit.Label}");
        var withoutGit = await StartShellSessionAsync("--no-git");

        // The history came along: git reads the commit in the session's workspace.
        Assert.Equal("first commit", (await GitAsync("-C", Server.WorkspaceOf(withGit.MachineId), "log", "-1", "--format=%s")).Trim());
        Assert.False(Directory.Exists(Path.Combine(Server.WorkspaceOf(withoutGit.MachineId), ".git")));
        Assert.True(File.Exists(Path.Combine(Server.WorkspaceOf(withoutGit.MachineId), "README.md")));
    }

    [Fact]
    public async Task The_help_of_new_says_git_goes_unless_no_git()
    {
        var help = await CattyProcess.RunAsync(Home, ServerAddress, input: null, "new", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains(".git/ included", help.Out, StringComparison.Ordinal);
        Assert.Matches(@"--no-git\s+Leave the \.git folder", help.Out);
    }

    [Fact]
    public async Task The_session_follows_the_terminal_size_when_the_window_is_resized()
    {
        await StartShellSessionAsync();
        await Terminal.RunAsync("echo size=$(stty size | tr ' ' x)");
        await Terminal.WaitForAsync("size=30x100");
        // A program in the session that prints its size on every SIGWINCH: no key is typed after the resize,
        // so the new size can only come from catty's own SIGWINCH handler.
        await Terminal.RunAsync("bash -c 'trap \"stty size\" WINCH; echo watching; while :; do sleep 0.1 & wait $!; done'");
        await Terminal.WaitForAsync(new Regex("^watching", RegexOptions.Multiline));

        await Terminal.ResizeAsync(120, 35);

        await Terminal.WaitForAsync(new Regex("^35 120$", RegexOptions.Multiline));
    }

    [Fact]
    public async Task A_resize_reaches_the_session_before_the_next_keys_even_before_catty_hears_of_it()
    {
        // catty started with SIGWINCH ignored never hears of a resize, as when its handler has not run yet:
        // it checks the window size before sending keys, so the very next command sees the new size.
        await Terminal.RunAsync("trap '' WINCH");
        await StartShellSessionAsync();
        await Terminal.RunAsync("echo size=$(stty size | tr ' ' x)");
        await Terminal.WaitForAsync("size=30x100");

        await Terminal.ResizeAsync(120, 35);
        await Terminal.RunAsync("echo resized=$(stty size | tr ' ' x)");

        Assert.Equal("35x120", (await Terminal.WaitForAsync(new Regex(@"resized=(\d+x\d+)"))).Groups[1].Value);
    }

    [Fact]
    public async Task Ctrl_C_twice_detaches_says_how_to_come_back_and_the_session_keeps_running()
    {
        var session = await StartShellSessionAsync();

        await Terminal.KeyAsync("C-c");
        await Terminal.KeyAsync("C-c");

        await Terminal.WaitForAsync($"Detached from {session.Label} (Ctrl+C twice); it keeps running.");
        await Terminal.WaitForAsync($"Come back with: catty connect {session.Label}");
        await Terminal.WaitForAsync(TmuxTerminal.LocalPrompt + "\n", limit: TimeSpan.FromSeconds(10));
        var info = await Server.Api.GetSessionAsync(session.Label, live: true);
        Assert.Equal((SessionStatus.Running, MachineState.Started), (info.Status, info.MachineState));

        // The local terminal is cooked again: the shell echoes and reads lines.
        await Terminal.RunAsync("stty -a | grep -o -- '-\\?icanon' | sed 's/^/mode:/'");
        await Terminal.WaitForAsync("mode:icanon");
    }

    [Fact]
    public async Task One_Ctrl_C_interrupts_the_program_and_Ctrl_backslash_detaches()
    {
        var session = await StartShellSessionAsync();
        await Terminal.RunAsync("sleep 600; echo slept-$((1+1))");
        var prompt = RemotePrompt(session.Label, session.MachineId);
        var prompts = await Terminal.CountAsync(prompt);
        await Terminal.KeyAsync("C-c");

        // The shell is back (a new prompt) once sleep is interrupted; typing earlier would race its input reset.
        await Poll.UntilAsync(async () => await Terminal.CountAsync(prompt) > prompts, "the prompt after Ctrl+C");
        await EchoRoundTripAsync("interrupted");
        Assert.Equal(0, await Terminal.CountAsync("slept-2"));

        await Terminal.KeyAsync("C-\\");

        await Terminal.WaitForAsync($"Detached from {session.Label} (Ctrl+\\); it keeps running.");
        Assert.Equal(SessionStatus.Running, (await Server.Api.GetSessionAsync(session.Label, live: true)).Status);
    }

    [Fact]
    public async Task When_the_program_exits_catty_says_so_and_exits_with_its_code()
    {
        var session = await StartShellSessionAsync("--no-sync-back");

        await Terminal.RunAsync("exit 7");

        await Terminal.WaitForAsync($"The program in {session.Label} exited with code 7; the session has ended.");
        await Terminal.RunAsync("echo code=$?");
        await Terminal.WaitForAsync("code=7");
    }

    [Fact]
    public async Task Duration_and_region_reach_the_server_and_no_upload_starts_empty()
    {
        Home.Write("local-only.txt", "not uploaded\n");
        var region = (await Server.Api.ListRegionsAsync()).First().Id;

        var session = await StartShellSessionAsync($"--duration 1h30m --region {region} --no-upload --no-sync-back");

        Assert.Equal(region, session.Region);
        Assert.InRange((session.ExpiresAt!.Value - session.CreatedAt).TotalMinutes, 89.9, 90.1);
        Assert.False(File.Exists(Path.Combine(Server.WorkspaceOf(session.MachineId), "local-only.txt")));
    }

    [Fact]
    public async Task An_agent_the_server_does_not_offer_is_a_clear_error_and_nothing_starts_unattended()
    {
        await Terminal.RunAsync($"{Catty} new --agent nope --no-upload; echo exit=$?");

        await Terminal.WaitForAsync("error: Unknown agent 'nope'; this server offers: claude, codex, shell.");
        await Terminal.WaitForAsync("exit=1");

        var piped = await CattyProcess.RunAsync(Home, ServerAddress, input: null, "new", "--agent", "shell", "--no-upload");
        Assert.Equal(2, piped.ExitCode);
        Assert.Contains("standard input is not a terminal", piped.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Creating session", piped.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_over_100_MB_is_refused_naming_the_biggest_paths_and_no_session_starts()
    {
        var random = new Random(11);
        var chunk = new byte[1024 * 1024];
        Directory.CreateDirectory(Path.Combine(Home.Project, "data"));
        await using (var big = File.Create(Path.Combine(Home.Project, "data", "huge.bin")))
        {
            for (var i = 0; i < 80; i++)
            {
                random.NextBytes(chunk);
                await big.WriteAsync(chunk);
            }
        }

        await using (var other = File.Create(Path.Combine(Home.Project, "second.bin")))
        {
            for (var i = 0; i < 25; i++)
            {
                random.NextBytes(chunk);
                await other.WriteAsync(chunk);
            }
        }

        Home.Write("small.txt", "small\n");
        var before = (await Server.Api.ListSessionsAsync()).Count;

        var result = await CattyProcess.RunAsync(Home, ServerAddress, input: null, "new", "--agent", "shell");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("too large to upload", result.Err, StringComparison.Ordinal);
        Assert.Matches(LargestLine("data/huge.bin"), result.Err);
        Assert.Matches(LargestLine("second.bin"), result.Err);
        Assert.Matches(LargestLine("data/"), result.Err);
        Assert.Contains("--no-upload", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, (await Server.Api.ListSessionsAsync()).Count);
    }

    private static Regex LargestLine(string path) => new(@"\d+\.\d MB\s+" + Regex.Escape(path) + @"\r?\n");

    private async Task<string> GitAsync(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Home.Project, RedirectStandardOutput = true, RedirectStandardError = true };
        // A session's workspace belongs to the session's own uid, which git would otherwise call dubious ownership.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("safe.directory=*");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = System.Diagnostics.Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {await error}");
        return await output;
    }
}
