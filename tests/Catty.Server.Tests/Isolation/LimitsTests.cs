using System.Net;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// Session limits (<c>Catty:Sessions:Limits</c>, <c>MaxRunningPerHost</c>) hit from inside real sessions, with small
/// values so each test is quick. The server runs as root, so the session's cgroups are real (v1 on these machines).
/// </summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task A_program_killed_for_memory_stops_its_session_as_out_of_memory()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Sessions:Limits:MemoryMb"] = "160";
            s.Settings["Catty:Sessions:Limits:TmpMb"] = "16";
        });
        var session = await server.CreateShellAsync();
        Assert.NotNull(server.DataDir.HostOf(session.MachineId)?.Cgroup);
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("echo \"ready-$((40+2))\"\r");
            await terminal.ReadUntilAsync("ready-42");

            // tail keeps its endless "line" in memory until the kernel kills it; exec makes it the session's program.
            await terminal.SendAsync("exec tail /dev/zero\r");
            await server.WaitForEndAsync(session.SessionId, "the program to be killed for memory");
        }

        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.OutOfMemory), (info.Status, info.StopReason));
    }

    [Fact]
    public async Task A_file_past_the_disk_limit_is_refused_and_a_workspace_past_it_stops_the_session_as_disk_full()
    {
        await using var server = await CattyTestServer.StartAsync(s =>
        {
            s.Settings["Catty:Sessions:Limits:DiskMb"] = "20";
            s.Settings["Catty:Scheduling:Interval"] = "00:00:01";
        });
        var session = await server.CreateShellAsync();
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            // In /tmp, which is not part of the workspace: only the single-file cap applies there.
            await terminal.SendAsync("head -c 30M /dev/zero > /tmp/big; echo \"big=$? size=$(stat -c %s /tmp/big)-$((40+2))\"\r");
            var refused = await terminal.ReadUntilAsync("-42\r\n");
            Assert.Contains($"size={20 * 1024 * 1024}-42", refused, StringComparison.Ordinal);
            Assert.DoesNotContain("big=0 ", refused, StringComparison.Ordinal);
            Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label)).Status);

            await terminal.SendAsync("rm /tmp/big; for i in 1 2 3; do head -c 8M /dev/zero > part$i; done; echo \"parts-$((40+3))\"\r");
            await terminal.ReadUntilAsync("parts-43");
            await server.WaitForEndAsync(session.SessionId, "the session to stop for its disk use");
        }

        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.DiskFull), (info.Status, info.StopReason));
    }

    [Fact]
    public async Task A_program_past_its_process_limit_gets_EAGAIN_while_its_agent_still_serves_and_stops_it()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Sessions:Limits:Pids"] = "40");
        var session = await server.CreateShellAsync();
        var cgroup = server.DataDir.HostOf(session.MachineId)?.Cgroup;
        Assert.NotNull(cgroup?.ProgramDir);
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("echo \"ready-$((40+2))\"\r");
            await terminal.ReadUntilAsync("ready-42");

            // Long sleeps until the program's 40 are used up. bash reports the first failed fork at once, and its
            // subshell dies of SIGPIPE at its next report, once grep has gone; echo is a builtin and needs no fork.
            await terminal.SendAsync("(for i in $(seq 100); do sleep 600 & done) 2>&1 | grep -m1 -o 'Resource temporarily unavailable'; echo \"full-$((40+3))\"\r");
            await terminal.ReadUntilAsync("Resource temporarily unavailable\r\n");
            await terminal.ReadUntilAsync("full-43");
        }

        // The program's group hit its limit; the session's, which holds the agent too, never did.
        Assert.True(PidsLimitHits(cgroup.ProgramDir) > 0, "the program's pids.max should have refused a fork");
        Assert.Equal(0, PidsLimitHits(cgroup.PidsDir));

        // The agent, beside the full program, still starts threads: it takes a second client, answers the
        // server, and stops the session with its snapshot.
        await using (var second = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await second.ReadUntilAsync("full-43");
        }

        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(session.Label, live: true)).Status);
        await server.Client.StopSessionAsync(session.Label);
        var info = await server.Client.GetSessionAsync(session.Label);
        Assert.Equal((SessionStatus.Stopped, StopReason.User), (info.Status, info.StopReason));
        Assert.NotEmpty(await server.Client.ListSnapshotsAsync(session.Label));
        Assert.False(Directory.Exists(cgroup.ProgramDir), "the program's group should be removed with the session's");
    }

    [Fact]
    public async Task A_session_drops_to_a_low_CPU_weight_once_its_last_client_leaves()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var shares = Path.Combine(server.DataDir.HostOf(session.MachineId)!.Cgroup!.CpuDir, "cpu.shares");

        // It starts at the plain weight, as its creator is about to attach.
        Assert.Equal("1024", File.ReadAllText(shares).Trim());

        await using (var first = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await first.SendAsync("echo \"ready-$((40+2))\"\r");
            await first.ReadUntilAsync("ready-42");
            Assert.Equal("1024", File.ReadAllText(shares).Trim());
        }

        await Poll.UntilAsync(() => File.ReadAllText(shares).Trim() == "64", "the weight to drop once nobody is attached");

        // A client that takes over from another (the second replaces the first) keeps it attended throughout.
        await using var again = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await again.ReadUntilAsync("ready-42");
        Assert.Equal("1024", File.ReadAllText(shares).Trim());
        await using var takeover = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers);
        await takeover.ReadUntilAsync("ready-42");
        await takeover.SendAsync("echo \"still-$((40+3))\"\r");
        await takeover.ReadUntilAsync("still-43");
        Assert.Equal("1024", File.ReadAllText(shares).Trim());
    }

    /// <summary>How many times a fork was refused for the group's own pids.max (pids.events "max").</summary>
    private static long PidsLimitHits(string dir)
    {
        var line = File.ReadLines(Path.Combine(dir, "pids.events")).Single(l => l.StartsWith("max ", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_create_past_MaxRunningPerHost_is_refused_with_429_until_a_session_stops()
    {
        await using var server = await CattyTestServer.StartAsync(s => s.Settings["Catty:Sessions:MaxRunningPerHost"] = "1");
        var first = await server.CreateShellAsync();

        var refused = await Assert.ThrowsAsync<CattyApiException>(() => server.CreateShellAsync());
        Assert.Equal((HttpStatusCode.TooManyRequests, "host_full"), (refused.Status, refused.Error));
        Assert.Contains("MaxRunningPerHost", refused.ApiMessage, StringComparison.Ordinal);

        await server.Client.StopSessionAsync(first.Label);
        var second = await server.CreateShellAsync();
        Assert.Equal(SessionStatus.Running, (await server.Client.GetSessionAsync(second.Label)).Status);
    }
}
