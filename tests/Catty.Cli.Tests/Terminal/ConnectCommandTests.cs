using Catty.Cli.Tests.Infrastructure;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Terminal;

/// <summary><c>catty connect</c> in a real terminal: the picker, reconnecting, being replaced, the session ending.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConnectCommandTests(CliServer server) : TerminalTest(server)
{
    private CutProxy _proxy = null!;

    protected override Uri ServerAddress => _proxy.Address;

    public override async Task InitializeAsync()
    {
        _proxy = new CutProxy(Server.BaseAddress);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_label_a_picker_lists_running_sessions_and_Enter_connects_to_the_chosen_one()
    {
        var first = await Server.CreateShellAsync();
        var second = await Server.CreateShellAsync();
        var stopped = await Server.CreateShellAsync();
        await Server.Api.StopSessionAsync(stopped.Label);

        await Terminal.RunAsync($"{Catty} connect");
        await Terminal.WaitForAsync("Pick a session");
        await Terminal.WaitForAsync(second.Label);
        var screen = await Terminal.ScreenAsync();
        Assert.Contains(first.Label, screen, StringComparison.Ordinal);
        Assert.DoesNotContain(stopped.Label, screen, StringComparison.Ordinal);

        // Running sessions are listed newest first: the second is at the top; Down moves to the first.
        await Terminal.KeyAsync("Down");
        await Terminal.KeyAsync("Enter");

        await WaitForRemotePromptAsync(first.Label, first.MachineId);
        await EchoRoundTripAsync("picked");
    }

    [Fact]
    public async Task Q_leaves_the_picker_without_connecting()
    {
        await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect");
        await Terminal.WaitForAsync("Pick a session");

        await Terminal.KeyAsync("q");

        await Terminal.WaitForAsync("No session picked.");
    }

    [Fact]
    public async Task A_cut_connection_is_retried_and_the_session_comes_back()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label}");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);
        await EchoRoundTripAsync("before");

        _proxy.CutAll();

        await Terminal.WaitForAsync("reconnecting (1/5)");
        await Terminal.WaitForAsync($"reconnected to {session.Label}", limit: TimeSpan.FromSeconds(60));
        await EchoRoundTripAsync("after");
    }

    [Fact]
    public async Task After_five_failed_attempts_catty_gives_up_and_says_how_to_try_again()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label} --no-sync-back");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);

        _proxy.Refusing = true;
        _proxy.CutAll();

        await Terminal.WaitForAsync("reconnecting (5/5)", limit: TimeSpan.FromSeconds(60));
        await Terminal.WaitForAsync($"and {5} attempts to reconnect failed.", limit: TimeSpan.FromSeconds(60));
        await Terminal.WaitForAsync($"Check the server, then try again: catty connect {session.Label}");
        Assert.Equal(0, await Terminal.CountAsync("reconnecting (6/5)"));

        // Typed once the shell prompts again: a line typed while catty is still exiting is catty's to read.
        await Terminal.WaitForAsync(TmuxTerminal.LocalPrompt + "\n", limit: TimeSpan.FromSeconds(30));
        await Terminal.RunAsync("echo code=$?");
        await Terminal.WaitForAsync("code=1");
    }

    [Fact]
    public async Task Without_auto_reconnect_a_cut_connection_ends_catty_with_how_to_reconnect()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label} --no-sync-back --no-auto-reconnect");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);

        _proxy.CutAll();

        await Terminal.WaitForAsync($"Connection to {session.Label} lost:");
        await Terminal.WaitForAsync($"Reconnect with: catty connect {session.Label}");
        Assert.Equal(0, await Terminal.CountAsync("reconnecting"));
    }

    [Fact]
    public async Task Replaced_by_a_second_connect_the_first_says_so_and_does_not_retry()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label}");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);
        await Terminal.OpenWindowAsync(Home, ServerAddress, "second");

        await Terminal.RunAsync($"{Catty} connect {session.Label}", "second");
        await WaitForRemotePromptAsync(session.Label, session.MachineId, "second");

        await Terminal.WaitForAsync($"Connection replaced by another client: {session.Label} is now driven from somewhere else, so catty does not reconnect.");
        await Terminal.WaitForAsync(TmuxTerminal.LocalPrompt + "\n");
        Assert.Equal(0, await Terminal.CountAsync("reconnecting"));
        await EchoRoundTripAsync("second-drives", "second");
    }

    [Fact]
    public async Task A_session_stopped_while_connected_is_not_retried()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label} --no-sync-back");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);

        await Server.Api.StopSessionAsync(session.Label);

        await Terminal.WaitForAsync(TmuxTerminal.LocalPrompt + "\n", limit: TimeSpan.FromSeconds(60));
        var screen = await Terminal.ScreenAsync();
        Assert.True(
            screen.Contains($"{session.Label} has stopped", StringComparison.Ordinal) || screen.Contains($"The program in {session.Label} exited", StringComparison.Ordinal),
            screen);
        Assert.DoesNotContain("reconnecting (2/5)", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_stopped_session_fails_with_what_to_do()
    {
        var session = await Server.CreateShellAsync();
        await Server.Api.StopSessionAsync(session.Label);

        var result = await CattyProcess.RunAsync(Home, ServerAddress, input: null, "connect", session.Label);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{session.Label} is stopped", result.Err, StringComparison.Ordinal);
        Assert.Contains($"catty download {session.Label}", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_terminal_is_restored_when_catty_is_killed_with_SIGTERM()
    {
        var session = await Server.CreateShellAsync();
        await Terminal.RunAsync($"{Catty} connect {session.Label} --no-sync-back");
        await WaitForRemotePromptAsync(session.Label, session.MachineId);

        using (var catty = System.Diagnostics.Process.GetProcessById(await Terminal.ForegroundPidAsync()))
        {
            Assert.Equal(0, Kill(catty.Id, 15));
        }

        await Terminal.WaitForAsync("catty: stopped by SIGTERM; the session keeps running.");
        await Terminal.WaitForAsync(TmuxTerminal.LocalPrompt + "\n");
        await Terminal.RunAsync("stty -a | grep -o -- '-\\?icanon' | sed 's/^/mode:/'");
        await Terminal.WaitForAsync("mode:icanon");
        Assert.Equal(SessionStatus.Running, (await Server.Api.GetSessionAsync(session.Label, live: true)).Status);
    }

    [Fact]
    public async Task The_terminal_is_restored_when_catty_crashes_in_raw_mode()
    {
        await Terminal.RunAsync(Path.Combine(AppContext.BaseDirectory, "raw-mode-crash"));

        await Terminal.WaitForAsync("deliberate crash in raw mode");
        await Terminal.RunAsync("stty -a | grep -o -- '-\\?icanon' | sed 's/^/mode:/'");
        await Terminal.WaitForAsync("mode:icanon");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
