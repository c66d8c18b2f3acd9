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
            var refused = await terminal.ReadUntilAsync("-42");
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
