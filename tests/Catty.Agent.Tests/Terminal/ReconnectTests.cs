using Catty.Agent.Screen;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>
/// A reconnecting client must draw exactly the screen the previous client had: the replay is compared,
/// as rendered text, with everything the first client received, both fed through the screen model.
/// </summary>
public sealed class ReconnectTests
{
    public static TheoryData<string, string[], string, string?, string> FullScreenPrograms => new()
    {
        // less pages through a file in the alternate screen.
        { "less", ["less", "numbers.txt"], "line-023", " ", "line-046" },
        // top redraws its whole screen with cursor addressing; its help screen (h) ends on a known line.
        { "top", ["top", "-d", "100"], "PID", "h", "to continue" },
        // vim redraws only what changed (after G, just the line numbers' digits and the ruler).
        { "vi", ["vi", "numbers.txt"], "line-020", "G", "300,1" },
    };

    [Theory]
    [MemberData(nameof(FullScreenPrograms))]
    public async Task Reconnect_redraws_a_full_screen_program_exactly(string name, string[] argv, string drawn, string? keys, string settled)
    {
        var numbers = string.Concat(Enumerable.Range(1, 300).Select(i => $"line-{i:000} {new string((char)('a' + (i % 26)), i % 50)}\n"));
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            // Gated on a first Enter, so the first client receives the program's whole output live.
            Argv = ["sh", "-c", "read go; exec \"$@\"", "sh", .. argv],
            Cols = 80,
            Rows = 24,
            WorkspaceFiles = new() { ["numbers.txt"] = numbers },
        });
        await using var first = await agent.ConnectAsync();
        await first.NextControlAsync<ReadyMessage>();
        var replayLength = first.Bytes.Length;
        await first.SendAsync("\r");
        await first.ReadUntilAsync(drawn);
        if (keys is not null)
        {
            await first.SendAsync(keys);
            await first.ReadUntilAsync(settled);
        }
        // The program may still be finishing its draw: wait until it sits waiting for input and the first
        // client holds every byte the agent has read from it.
        var program = (await agent.GetStatusAsync()).Pid;
        await Poll.UntilAsync(
            () => WaitingForInput(program) && agent.GetLogsAsync().Result.AsSpan().SequenceEqual(first.Bytes.AsSpan(replayLength)),
            "the program is idle and the first client has received all its output");
        var firstScreen = new TerminalScreen(80, 24);
        firstScreen.Feed(first.Bytes);

        await using var second = await agent.ConnectAsync();
        await second.NextControlAsync<ReadyMessage>();
        await first.WaitForCloseAsync();
        var replayed = new TerminalScreen(80, 24);
        replayed.Feed(second.Bytes);

        Assert.Contains(settled, firstScreen.GetScreenText(), StringComparison.Ordinal);
        Assert.Equal(firstScreen.GetScreenText(), replayed.GetScreenText());
        Assert.Equal(firstScreen.Cursor, replayed.Cursor);
        Assert.Equal(firstScreen.AlternateScreen, replayed.AlternateScreen);
        Assert.True(name != "less" || replayed.AlternateScreen, "less draws in the alternate screen");
    }

    /// <summary>Whether <paramref name="pid"/> is blocked in read, poll or select (per /proc/PID/syscall).</summary>
    private static bool WaitingForInput(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/syscall").Split(' ');
        if (!int.TryParse(fields[0], out var number))
            return false;
        int[] waiting = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64
            ? [63, 72, 73]
            : [0, 7, 23, 270, 271];
        return waiting.Contains(number);
    }

    [Fact]
    public async Task Output_produced_while_nobody_is_connected_is_in_the_next_replay()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using (var first = await agent.ConnectAsync())
        {
            await first.ReadUntilAsync("$ ");
            await first.SendAsync("sleep 0.2; echo while-away-$((7*6))\r");
            await first.ReadUntilAsync("sleep 0.2");
        }
        await Poll.UntilAsync(() => agent.GetLogsAsync().Result.AsSpan().IndexOf("while-away-42"u8) >= 0, "the program printed while away");

        await using var second = await agent.ConnectAsync();
        await second.NextControlAsync<ReadyMessage>();

        var screen = new TerminalScreen(80, 24);
        screen.Feed(second.Bytes);
        Assert.Contains("while-away-42", screen.GetScreenText(), StringComparison.Ordinal);
    }
}
