using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

/// <summary>Sessions outlive the server: a stopped or restarted server finds them again.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task Stopping_the_server_leaves_sessions_running_and_a_restart_takes_them_back()
    {
        using var data = new TestDataDir();
        var first = await CattyTestServer.StartAsync(s => s.DataDir = data);
        var session = await first.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await terminal.SendAsync("echo before-$((2+2))\r");
        await terminal.ReadUntilAsync("before-4");

        // A connected terminal does not hold the server's shutdown: the relay hangs up.
        await first.DisposeAsync().AsTask().Within("the server to stop with a terminal connected", TimeSpan.FromSeconds(10));
        await terminal.WaitForCloseAsync();

        Assert.True(data.AgentAlive(session.MachineId));
        await using var second = await CattyTestServer.StartAsync(s => s.DataDir = data);

        var info = await second.Client.GetSessionAsync(session.Label, live: true);
        Assert.Equal((SessionStatus.Running, MachineState.Started), (info.Status, info.MachineState));
        await using var again = await TerminalClient.ConnectAsync(info.ConnectUrl, new Dictionary<string, string> { ["Authorization"] = "Bearer " + info.ConnectToken });
        await again.SendAsync("echo after-$((3+3))\r");
        await again.ReadUntilAsync("after-6");

        // The restarted server watches the agent again: the program's exit is noticed at once.
        await again.SendAsync("exit 3\r");
        await second.WaitForEndAsync(session.SessionId, "the recovered session to end");
        Assert.Equal((StopReason.AgentExited, 3), ((await second.Client.GetSessionAsync(session.Label)).StopReason, (await second.Client.GetSessionAsync(session.Label)).ExitCode));
    }

    [Fact]
    public async Task A_session_whose_agent_vanished_while_the_server_was_down_is_machine_lost()
    {
        using var data = new TestDataDir();
        CreateSessionResponse session;
        await using (var first = await CattyTestServer.StartAsync(s => s.DataDir = data))
        {
            session = await first.CreateShellAsync();
        }

        data.KillAgent(session.MachineId);
        await using var second = await CattyTestServer.StartAsync(s => s.DataDir = data);

        var info = await second.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.MachineLost, MachineState.Destroyed), (info.Status, info.StopReason, info.MachineState));
        Assert.NotNull(info.StoppedAt);
    }

    [Fact]
    public async Task A_program_that_exited_while_the_server_was_down_is_agent_exited_with_its_code()
    {
        using var data = new TestDataDir();
        CreateSessionResponse session;
        await using (var first = await CattyTestServer.StartAsync(s =>
        {
            s.DataDir = data;
            s.Settings["Catty:Agents:Available:waiter:Command:0"] = "bash";
            s.Settings["Catty:Agents:Available:waiter:Command:1"] = "-c";
            s.Settings["Catty:Agents:Available:waiter:Command:2"] = "until [ -e go ]; do sleep 0.05; done; exit 7";
            // Nobody connects or uploads: the program must not wait for either.
            s.Settings["Catty:Runtimes:Local:ProgramStartHold"] = "00:00:00";
        }))
        {
            session = await first.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "waiter"));
        }

        await File.WriteAllTextAsync(Path.Combine(data.Path, "workspaces", session.MachineId, "go"), "");
        using (var agent = new AgentClient("unix:" + Path.Combine(data.StateDirOf(session.MachineId), "agent.sock")))
        {
            var exited = await agent.WaitAsync(CancellationToken.None).Within("the program to exit");
            Assert.Equal((AgentState.Exited, 7), (exited!.State, exited.ExitCode));
        }

        await using var second = await CattyTestServer.StartAsync(s => s.DataDir = data);

        var info = await second.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.AgentExited, 7, MachineState.Destroyed), (info.Status, info.StopReason, info.ExitCode, info.MachineState));
        Assert.False(data.AgentAlive(session.MachineId));
    }
}
