using System.Net.WebSockets;
using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.RealAgents;

/// <summary>
/// The real Claude Code and Codex (pinned in tests/tools/agents) in sessions of a real server: each starts
/// in its PTY inside the sandbox, draws its interface, and a client that reconnects is shown the same screen.
/// There is no network here, so neither gets past its sign-in; that is enough to prove the terminal path.
/// </summary>
public sealed class RealAgentTests
{
    private const int Cols = 120;
    private const int Rows = 40;

    [Fact]
    public async Task Claude_code_runs_sandboxed_draws_its_prompt_and_a_reconnecting_client_sees_the_same_screen()
    {
        await using var server = await CattyTestServer.StartAsync(s => UseRealAgent(s, "claude", Path.Combine(RepoTools.Dir("agents"), "claude-home")));

        // Exactly what hosted Catty clients send for claude: the launcher word and the allowed flag.
        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "claude", Cmd: ["claude-wrapper", "--dangerously-skip-permissions"]));

        await AssertReconnectRedrawsAsync(server, session, ["Claude Code v2.1.328", "/workspace", "bypass permissions on"]);
    }

    [Fact]
    public async Task Codex_runs_sandboxed_draws_its_sign_in_screen_and_a_reconnecting_client_sees_the_same_screen()
    {
        await using var server = await CattyTestServer.StartAsync(s => UseRealAgent(s, "codex"));

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "codex", Cmd: ["codex"]));

        await AssertReconnectRedrawsAsync(server, session, ["Welcome to Codex", "Sign in with ChatGPT", "Press enter to continue"]);
    }

    [Fact]
    public async Task Claude_code_on_first_run_without_network_draws_its_welcome_then_exits_and_its_output_is_kept()
    {
        await using var server = await CattyTestServer.StartAsync(s => UseRealAgent(s, "claude"));

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "claude"));
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            // Claude Code places words with cursor moves, not spaces: its text is checked on the rendered screen below.
            await terminal.WaitForControlAsync("exit");
            await server.WaitForEndAsync(session.SessionId, "Claude Code to give up without network");
        }

        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.AgentExited, 1), (info.Status, info.StopReason, info.ExitCode));
        var screen = (await XtermScreen.RenderAsync(Cols, Rows, await server.Client.GetLogsAsync(session.Label)))[0];
        Assert.Contains("Welcome to Claude Code v2.1.328", screen.Text, StringComparison.Ordinal);
        Assert.Contains("Unable to connect to Anthropic services", screen.Text, StringComparison.Ordinal);
    }

    /// <summary>Points <paramref name="agent"/> of the shipped configuration at the pinned package and shows it to the sandbox.</summary>
    private static void UseRealAgent(ServerSetup setup, string agent, string? homeTemplate = null)
    {
        setup.Settings[$"Catty:Agents:Available:{agent}:Command:0"] = RepoTools.AgentCommand(agent);
        setup.Settings[$"Catty:Agents:Available:{agent}:ReadOnlyPaths:0"] = RepoTools.AgentModules;
        setup.Settings[$"Catty:Agents:Available:{agent}:HomeTemplate"] = homeTemplate;
        setup.Settings["Catty:Runtimes:Local:Cols"] = Cols.ToString(System.Globalization.CultureInfo.InvariantCulture);
        setup.Settings["Catty:Runtimes:Local:Rows"] = Rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AssertReconnectRedrawsAsync(CattyTestServer server, CreateSessionResponse session, string[] drawn)
    {
        await using var first = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await SettledScreen.WaitAsync(server.Client, session.Label, first, Cols, Rows, drawn);
        using (var agent = new AgentClient("unix:" + Path.Combine(server.DataDir.StateDirOf(session.MachineId), "agent.sock")))
        {
            var status = await agent.StatusAsync(Deadline.Default, CancellationToken.None);
            Assert.True(status is { State: "running", Sandboxed: true }, $"the program should run sandboxed: {status}");
        }

        await using var second = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await second.WaitForControlAsync("ready");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, (await first.WaitForCloseAsync()).Status);

        // The program may still change its screen after it looked idle (Claude Code adds hints to its footer a
        // while after start), so the reference is its whole output rendered afresh, as for the first client:
        // the replay must draw that screen (with the same texts the first client saw), and whatever the program
        // draws later arrives on top of it. SettledScreen fails the test unless the second client shows both.
        await SettledScreen.WaitAsync(server.Client, session.Label, second, Cols, Rows, drawn);
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label, live: true)).Status);
    }
}
