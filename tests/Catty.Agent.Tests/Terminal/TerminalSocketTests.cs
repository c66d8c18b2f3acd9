using System.Net.WebSockets;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>The terminal WebSocket against a real agent running a real bash in a real PTY.</summary>
public sealed class TerminalSocketTests
{
    [Fact]
    public async Task Typed_input_echoes_and_the_shell_answers()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.NextControlAsync<ReadyMessage>();
        await client.ReadUntilAsync("$ ");

        await client.SendAsync("echo hi-$((6*7))\r");

        await client.ReadUntilAsync("echo hi-$((6*7))");
        await client.ReadUntilAsync("hi-42");
    }

    [Fact]
    public async Task A_second_client_replaces_the_first_with_1008_and_the_exact_reason()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var first = await agent.ConnectAsync();
        await first.NextControlAsync<ReadyMessage>();

        await using var second = await agent.ConnectAsync();

        var (status, reason) = await first.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("Connection replaced by another client", reason);
        await second.NextControlAsync<ReadyMessage>();
        await second.SendAsync("echo still-$((1+1))\r");
        await second.ReadUntilAsync("still-2");
        Assert.True((await agent.GetStatusAsync()).ClientConnected);
    }

    [Fact]
    public async Task Exit_carries_the_exit_code()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await client.SendAsync("exit 3\r");

        var exit = await client.NextControlAsync<ExitMessage>();
        Assert.Equal(3, exit.Code);
        Assert.Null(exit.Signal);
        var status = await agent.WaitForProgramExitAsync();
        Assert.Equal("exited", status.State);
        Assert.Equal(3, status.ExitCode);
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    [Fact]
    public async Task Exit_carries_the_signal_that_killed_the_program()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await client.SendAsync("kill -KILL $$\r");

        var exit = await client.NextControlAsync<ExitMessage>();
        Assert.Null(exit.Code);
        Assert.Equal("SIGKILL", exit.Signal);
        Assert.Equal("SIGKILL", (await agent.WaitForProgramExitAsync()).ExitSignal);
    }

    [Fact]
    public async Task A_client_connecting_after_the_exit_gets_the_screen_ready_and_exit()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["sh", "-c", "echo bye-bye; exit 7"] });
        await agent.WaitForProgramExitAsync();

        await using var client = await agent.ConnectAsync();

        await client.NextControlAsync<ReadyMessage>();
        var exit = await client.NextControlAsync<ExitMessage>();
        Assert.Equal(7, exit.Code);
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    [Fact]
    public async Task Resize_reaches_the_program()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await client.SendControlAsync(new ResizeMessage(100, 33));
        await client.SendAsync("stty size\r");

        await client.ReadUntilAsync("33 100");
    }

    [Fact]
    public async Task Signal_interrupts_the_foreground_program()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        // The quotes keep the echoed command line from matching the marker the program prints.
        await client.SendAsync("bash -c 'echo sleep''ing; exec sleep 1000'\r");
        await client.ReadUntilAsync("sleeping");

        await client.SendControlAsync(new SignalMessage("SIGINT"));

        // bash drops the rest of a command line whose job died of SIGINT, so ask on the next prompt.
        await client.ReadUntilAsync("$ ");
        await client.SendAsync("echo status-$?\r");
        await client.ReadUntilAsync("status-130");
    }

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();

        await client.SendControlAsync(new PingMessage());

        await client.NextControlAsync<PongMessage>();
    }

    [Fact]
    public async Task Input_and_output_count_as_activity()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        var before = (await agent.GetStatusAsync()).ActivityCount;

        await client.SendAsync("echo active\r");
        await client.ReadUntilAsync("active\r\n");

        Assert.True((await agent.GetStatusAsync()).ActivityCount >= before + 2);
    }

    [Fact]
    public async Task Utf8_output_split_across_reads_arrives_intact()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await client.SendAsync("printf 'caf\\303\\251 \\360\\237\\220\\261 done\\n'\r");

        await client.ReadUntilAsync("café 🐱 done");
    }

    [Fact]
    public async Task Input_and_signals_after_the_exit_get_an_error_and_the_connection_stays()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["true"] });
        await agent.WaitForProgramExitAsync();
        await using var client = await agent.ConnectAsync();
        await client.NextControlAsync<ExitMessage>();

        await client.SendAsync("anyone there?\r");
        Assert.Contains("program has exited", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        await client.SendControlAsync(new SignalMessage("SIGINT"));
        Assert.Contains("SIGINT was not delivered", (await client.NextControlAsync<ErrorMessage>()).Message, StringComparison.Ordinal);
        await client.SendControlAsync(new PingMessage());
        await client.NextControlAsync<PongMessage>();
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }
}
