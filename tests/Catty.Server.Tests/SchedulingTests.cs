using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

public sealed class SchedulingTests
{
    private static readonly TimeSpan InactivityLimit = TimeSpan.FromMinutes(10);

    private static Task<CattyTestServer> StartOnFakeClockAsync() =>
        CattyTestServer.StartAsync(s =>
        {
            s.FakeClock = true;
            s.Settings["Catty:Scheduling:Interval"] = "00:00:01";
            s.Settings["Catty:Scheduling:InactivityLimit"] = InactivityLimit.ToString();
        });

    [Fact]
    public async Task A_session_past_its_deadline_is_timed_out_with_duration_elapsed()
    {
        await using var server = await StartOnFakeClockAsync();
        var session = await server.CreateShellAsync(ttlSec: 60);

        await server.AdvanceAndTickAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label)).Status);
        await server.AdvanceAndTickAsync(TimeSpan.FromSeconds(2));
        await server.WaitForEndAsync(session.SessionId, "the deadline stop");

        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.TimedOut, StopReason.DurationElapsed, MachineState.Destroyed), (info.Status, info.StopReason, info.MachineState));
        Assert.Equal(info.ExpiresAt!.Value.AddSeconds(1), info.StoppedAt);
        Assert.False(server.DataDir.AgentAlive(session.MachineId));
    }

    [Fact]
    public async Task A_session_whose_activity_count_stands_still_past_the_limit_is_timed_out_as_inactive()
    {
        await using var server = await StartOnFakeClockAsync();
        var session = await server.CreateShellAsync();
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("echo idle-$((5+5))\r");
            await terminal.ReadUntilAsync("idle-10");
        }

        // The shell may still print its prompt after the marker; a tick that sees it moves the idle start.
        for (var tick = 0; tick < 5 && (await server.Client.GetSessionAsync(session.Label)).Status == SessionStatus.Running; tick++)
        {
            await server.AdvanceAndTickAsync(InactivityLimit + TimeSpan.FromSeconds(1));
        }

        await server.WaitForEndAsync(session.SessionId, "the inactivity stop");
        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.TimedOut, StopReason.Inactive), (info.Status, info.StopReason));
        Assert.False(server.DataDir.AgentAlive(session.MachineId));
    }

    [Fact]
    public async Task Input_between_ticks_restarts_the_inactivity_clock()
    {
        await using var server = await StartOnFakeClockAsync();
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await terminal.SendAsync("echo warm-$((1+2))\r");
        await terminal.ReadUntilAsync("warm-3");
        await server.AdvanceAndTickAsync(TimeSpan.FromSeconds(1));

        for (var round = 0; round < 3; round++)
        {
            await terminal.SendAsync($"echo busy-$(({round}+100))\r");
            await terminal.ReadUntilAsync($"busy-{round + 100}");
            await server.AdvanceAndTickAsync(InactivityLimit - TimeSpan.FromMinutes(1));
        }

        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label)).Status);
    }

    [Fact]
    public async Task A_program_that_exits_stops_its_session_with_agent_exited_and_its_exit_code()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        await using var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);

        await terminal.SendAsync("exit 5\r");
        await server.WaitForEndAsync(session.SessionId, "the session to end after exit 5");

        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.AgentExited, 5, MachineState.Destroyed), (info.Status, info.StopReason, info.ExitCode, info.MachineState));
        Assert.False(server.DataDir.AgentAlive(session.MachineId));
    }

    [Fact]
    public async Task Live_get_reconciles_a_machine_that_vanished()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();

        server.DataDir.KillAgent(session.MachineId);
        var info = await server.Client.GetSessionAsync(session.Label, live: true);

        Assert.Equal($"{SessionStatus.Stopped} {StopReason.MachineLost} {MachineState.Destroyed}", $"{info.Status} {info.StopReason} {info.MachineState}");
    }
}
