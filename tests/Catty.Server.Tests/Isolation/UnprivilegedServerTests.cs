using System.Diagnostics;
using System.Text.RegularExpressions;
using Catty.Sdk.Api;
using Catty.Server.Runtimes.Local;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// The whole server run by a dedicated unprivileged user: it cannot switch uids or (without delegation) make
/// cgroups, says so when it starts, and its sessions still work, sandboxed, as that user.
/// </summary>
public sealed partial class UnprivilegedServerTests
{
    /// <summary>A system user for this test; scripts/install-deps.sh makes it too.</summary>
    private const string User = "catty-unprivileged";

    [Fact]
    public async Task An_unprivileged_server_runs_sandboxed_sessions_as_itself_and_says_which_limits_it_cannot_enforce()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test runs as root, as CI does, to start the server as another user");
        var (uid, gid) = await EnsureUserAsync();
        using var data = new TestDataDir();
        Assert.True(HostCalls.Chown(data.Path, uid, gid), $"cannot give {data.Path} to {User}");

        await using var server = await ServerProcess.StartAsync(data, runAs: (uid, gid));
        Assert.Contains("cgroups NOT available", server.Output, StringComparison.Ordinal);
        Assert.Contains($"sessions run as this server's uid {uid}", server.Output, StringComparison.Ordinal);

        var session = await server.Client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell"));
        var agentStatus = File.ReadAllLines($"/proc/{data.AgentPidOf(session.MachineId)}/status");
        Assert.Contains(agentStatus, l => l.StartsWith($"Uid:\t{uid}\t", StringComparison.Ordinal));
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync("awk '{ print \"map=\" $1 \",\" $2 \",\" $3 \"-\" 40+1 }' /proc/self/uid_map\r");
            var printed = await terminal.ReadUntilAsync("-41\r\n");
            var map = UidMap().Match(printed);
            Assert.True(map.Success, $"uid_map was not printed: {printed.Replace("\u001b", "ESC", StringComparison.Ordinal)}");
            Assert.Equal("1", map.Groups[3].Value);
            var sessionProcesses = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
                .Where(p => p > 0 && IdentityTests.UidOf(p) == uid).ToList();
            Assert.True(sessionProcesses.Count >= 4, $"the server, agent, bwrap and shell run as {User}: {string.Join(' ', sessionProcesses)}");

            // Sandboxed: the server's own data directory is not there.
            await terminal.SendAsync($"if [ -e '{data.Path}/catty.db' ]; then echo \"VISIBLE-$((40+2))\"; else echo \"HIDDEN-$((40+2))\"; fi\r");
            Assert.EndsWith("HIDDEN-42", (await terminal.ReadUntilAsync("-42\r\n")).TrimEnd(), StringComparison.Ordinal);
        }

        await server.Client.StopSessionAsync(session.Label);
        Assert.Equal(SessionStatus.Stopped, (await server.Client.GetSessionAsync(session.Label)).Status);
        Assert.Null(data.AgentPidOf(session.MachineId));
    }

    private static async Task<(int Uid, int Gid)> EnsureUserAsync()
    {
        if (await RunAsync("id", "-u", User) is not { ExitCode: 0 })
        {
            // Another test process may create it at the same moment: exit code 9 is "already exists".
            var made = await RunAsync("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", User);
            Assert.True(made.ExitCode is 0 or 9, $"useradd {User} failed: {made.Output}");
        }

        var uid = await RunAsync("id", "-u", User);
        var gid = await RunAsync("id", "-g", User);
        return (int.Parse(uid.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(gid.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within($"{program} to finish");
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"map=(\d+),(\d+),(\d+)-41")]
    private static partial Regex UidMap();
}
