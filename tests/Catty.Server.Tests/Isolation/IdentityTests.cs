using System.Text.RegularExpressions;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// Who a session is on the host. With the server running as root (as here and in CI), each session's agent and
/// sandbox run as an unprivileged uid of their own, so the sandbox's root is nobody on the host.
/// </summary>
public sealed partial class IdentityTests
{
    [Fact]
    public async Task A_session_runs_as_its_own_unprivileged_host_uid_and_its_root_cannot_touch_the_host()
    {
        Assert.True(Environment.IsPrivilegedProcess, "these tests run as root, as CI does: only a root server switches uids");
        await using var server = await CattyTestServer.StartAsync();
        var first = await server.CreateShellAsync();
        var second = await server.CreateShellAsync();
        var firstUid = server.DataDir.HostOf(first.MachineId)!.Uid;
        var secondUid = server.DataDir.HostOf(second.MachineId)!.Uid;
        Assert.NotEqual(firstUid, secondUid);
        Assert.All(new[] { firstUid, secondUid }, uid => Assert.InRange(uid, 600_000, 609_999));

        // The agent itself, on the host, runs as that uid with no capabilities.
        var agentStatus = File.ReadAllLines($"/proc/{server.DataDir.AgentPidOf(first.MachineId)}/status");
        Assert.Contains($"Uid:\t{firstUid}\t{firstUid}\t{firstUid}\t{firstUid}", agentStatus);
        Assert.Contains("CapEff:\t0000000000000000", agentStatus);
        Assert.Contains("CapBnd:\t0000000000000000", agentStatus);
        Assert.Equal(firstUid, OwnerOf(Path.Combine(server.DataDir.Path, "workspaces", first.MachineId)));

        var corePattern = await File.ReadAllTextAsync("/proc/sys/kernel/core_pattern");
        await using (var terminal = await TerminalClient.ConnectAsync(first.ConnectUrl, first.Headers))
        {
            // The sandbox maps a single id (bwrap's nested user namespace hides which host uid it is; the host-side
            // check below names it), not host root's whole range as an unmapped sandbox run by root would.
            await terminal.SendAsync("awk '{ print \"map=\" $1 \",\" $2 \",\" $3 \"-\" 40+1 }' /proc/self/uid_map\r");
            var printed = await terminal.ReadUntilAsync("-41\r\n");
            var map = UidMap().Match(printed);
            Assert.True(map.Success, $"uid_map was not printed: {printed.Replace("\u001b", "ESC", StringComparison.Ordinal)}");
            Assert.Equal("1", map.Groups[3].Value);

            // Seen from the host, every process of the session (the sandbox included) is the session's uid.
            var sessionProcesses = server.DataDir.HostOf(first.MachineId)!.Cgroup!.Processes();
            Assert.True(sessionProcesses.Count >= 3, $"the agent, bwrap and the shell should be in the session's cgroup: {string.Join(' ', sessionProcesses)}");
            Assert.All(sessionProcesses, pid => Assert.True(UidOf(pid) is null || UidOf(pid) == firstUid, $"pid {pid} runs as uid {UidOf(pid)}"));

            // The attack: rewrite the host's core_pattern (writing back its own value, so a failure harms nothing).
            await terminal.SendAsync("cat /proc/sys/kernel/core_pattern > /tmp/cp; cat /tmp/cp > /proc/sys/kernel/core_pattern; echo \"core=$?-$((40+2))\"\r");
            Assert.DoesNotContain("core=0-42", await terminal.ReadUntilAsync("-42\r\n"), StringComparison.Ordinal);

            await terminal.SendAsync("cat /etc/shadow > /dev/null 2>&1; echo \"shadow=$?-$((40+3))\"\r");
            Assert.DoesNotContain("shadow=0-43", await terminal.ReadUntilAsync("-43\r\n"), StringComparison.Ordinal);

            await terminal.SendAsync("touch made-here && echo \"touched-$((40+2))\"\r");
            await terminal.ReadUntilAsync("touched-42");
        }

        Assert.Equal(corePattern, await File.ReadAllTextAsync("/proc/sys/kernel/core_pattern"));
        Assert.Equal(firstUid, OwnerOf(Path.Combine(server.DataDir.Path, "workspaces", first.MachineId, "made-here")));
    }

    [Fact]
    public async Task Stopping_a_session_leaves_no_process_of_its_uid_no_cgroup_and_takes_its_folders_back()
    {
        Assert.True(Environment.IsPrivilegedProcess, "these tests run as root, as CI does: only a root server switches uids");
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        var host = server.DataDir.HostOf(session.MachineId)!;
        Assert.NotNull(host.Cgroup);
        Assert.All(host.Cgroup.Dirs, dir => Assert.True(Directory.Exists(dir), $"{dir} should exist while the session runs"));
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            // A process that leaves the program's tree and session: only the cgroup still knows it.
            await terminal.SendAsync("setsid nohup sleep 600 >/dev/null 2>&1 & echo \"started-$((40+2))\"\r");
            await terminal.ReadUntilAsync("started-42");
        }

        Assert.Contains(host.Cgroup.Processes(), pid => UidOf(pid) == host.Uid);
        await server.Client.StopSessionAsync(session.Label);

        Assert.DoesNotContain(ProcessesOf(host.Uid), _ => true);
        Assert.All(host.Cgroup.Dirs, dir => Assert.False(Directory.Exists(dir), $"{dir} should be removed"));
        Assert.Null(server.DataDir.HostOf(session.MachineId));
        Assert.Equal(0, OwnerOf(server.DataDir.StateDirOf(session.MachineId)));
        Assert.Equal(0, OwnerOf(Path.Combine(server.DataDir.Path, "workspaces", session.MachineId)));
    }

    /// <summary>The owning uid of a file (lstat; .NET has no API for it).</summary>
    internal static int OwnerOf(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "%u", "--", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var stat = System.Diagnostics.Process.Start(start)!;
        var owner = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return int.Parse(owner.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static int? UidOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return int.Parse(line.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static IEnumerable<int> ProcessesOf(int uid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && UidOf(pid) == uid)
            .ToList();

    [GeneratedRegex(@"map=(\d+),(\d+),(\d+)-41")]
    private static partial Regex UidMap();
}
