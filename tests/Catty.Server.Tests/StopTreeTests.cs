using System.Globalization;
using Catty.Sdk.Api;
using Catty.Server.Tests.Infrastructure;

namespace Catty.Server.Tests;

public sealed class StopTreeTests
{
    [Fact]
    public async Task Stopping_a_session_ends_its_whole_process_tree_background_jobs_and_daemons_included()
    {
        await using var server = await CattyTestServer.StartAsync();
        var session = await server.CreateShellAsync();
        // Sleep lengths no other process on this host uses: they find the session's processes from outside.
        var marks = Enumerable.Range(0, 4).Select(i => $"86{Random.Shared.Next(100, 999)}.{i}{Random.Shared.Next(1000, 9999)}").ToArray();
        await using (var terminal = await TerminalClient.ConnectAsync(session.ConnectUrl, session.Headers))
        {
            await terminal.SendAsync($"sleep {marks[0]} & nohup sleep {marks[1]} >/dev/null 2>&1 & setsid sleep {marks[2]} & "
                + $"(setsid sh -c 'sleep {marks[3]}' &) ; echo \"started-$((2*21))\"\r");
            await terminal.ReadUntilAsync("started-42");
            await Poll.UntilAsync(() => marks.All(m => SleepersWith(m).Count == 1), "the four sleepers to run");
        }

        await server.Client.StopSessionAsync(session.Label);

        Assert.Equal(MachineState.Destroyed, (await server.Client.GetSessionAsync(session.Label)).MachineState);
        Assert.All(marks, m => Assert.Empty(SleepersWith(m)));
    }

    /// <summary>Live processes (not zombies) whose command line is <c>sleep <paramref name="seconds"/></c>.</summary>
    private static List<int> SleepersWith(string seconds)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (File.ReadAllText(Path.Combine(dir, "cmdline")) == $"sleep\0{seconds}\0" && stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X'))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }

        return found;
    }
}
