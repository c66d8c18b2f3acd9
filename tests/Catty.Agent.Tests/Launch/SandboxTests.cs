using System.Text.RegularExpressions;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Launch;

/// <summary>The program under bubblewrap sees its workspace and the system, read-only, and nothing else of the host.</summary>
public sealed partial class SandboxTests
{
    private const string Secret = "s3cr3t-value-9f27c1";

    [Fact]
    public async Task Only_the_workspace_is_writable_and_nothing_else_of_the_host_is_visible()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap" });
        // A stand-in data directory and another session's workspace, right beside ours on the host.
        var dataDir = agent.Root.Combine("data");
        var otherWorkspace = agent.Root.Combine("other-workspace");
        Directory.CreateDirectory(dataDir);
        Directory.CreateDirectory(otherWorkspace);
        File.WriteAllText(Path.Combine(dataDir, "catty.db"), "private");
        File.WriteAllText(Path.Combine(otherWorkspace, "theirs.txt"), "private");
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        Assert.True((await agent.GetStatusAsync()).Sandboxed);

        await RunAsync(client, $"cat {dataDir}/catty.db", "No such file or directory");
        await RunAsync(client, $"cat {otherWorkspace}/theirs.txt", "No such file or directory");
        await RunAsync(client, $"ls {agent.StateDir}", "No such file or directory");
        await RunAsync(client, "ls /root", "No such file or directory");
        Assert.Equal("catty", (await RunAsync(client, "ls -A /home")).Trim());
        await RunAsync(client, "touch /etc/written", "Read-only file system");
        await RunAsync(client, "touch /usr/written", "Read-only file system");
        await RunAsync(client, "touch /written", "Read-only file system");
        Assert.Equal("/workspace", (await RunAsync(client, "pwd")).Trim());
        await RunAsync(client, "echo made-inside > /workspace/inside.txt && echo wrote-$?", "wrote-0");

        Assert.Equal("made-inside\n", File.ReadAllText(Path.Combine(agent.Workspace, "inside.txt")));
        Assert.False(File.Exists("/etc/written"));
    }

    [Fact]
    public async Task The_program_gets_a_clean_environment_with_the_session_variables_and_secrets()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Sandbox = "bwrap",
            Env = new() { ["PS1"] = "$ ", ["ANTHROPIC_API_KEY"] = Secret },
            AgentEnv = new() { ["CATTY_SERVER_ONLY"] = "leaked" },
        });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        await RunAsync(client, "echo key=$ANTHROPIC_API_KEY", "key=" + Secret);
        await RunAsync(client, "echo \"[$CATTY_SERVER_ONLY]\"", "[]");
        await RunAsync(client, "echo $HOME $SESSION_LABEL $TERM $COLORTERM $LANG", "/home/catty brave-tiger-1234 xterm-256color truecolor C.UTF-8");
        await RunAsync(client, "echo $PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        await RunAsync(client, "touch ~/.tool-config && echo home-$?", "home-0");
        await RunAsync(client, "hostname", "brave-tiger-1234");

        Assert.True(File.Exists(Path.Combine(agent.StateDir, "home", ".tool-config")));
        Assert.False(File.Exists(Path.Combine(agent.Workspace, ".tool-config")));
        var bwrap = (await agent.GetStatusAsync()).Pid;
        Assert.DoesNotContain(Secret, File.ReadAllText($"/proc/{bwrap}/cmdline"), StringComparison.Ordinal);
        await agent.StopAsync();
        await agent.WaitForAgentExitAsync();
        foreach (var file in Directory.GetFiles(agent.StateDir))
            Assert.DoesNotContain(Secret, File.ReadAllText(file).Replace("key=" + Secret, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_sandbox_the_program_runs_in_the_workspace_folder()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Env = new() { ["PS1"] = "$ ", ["API_TOKEN"] = Secret },
            AgentEnv = new() { ["CATTY_SERVER_ONLY"] = "leaked" },
        });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");

        Assert.False((await agent.GetStatusAsync()).Sandboxed);
        Assert.Equal(agent.Workspace, (await RunAsync(client, "pwd")).Trim());
        Assert.Equal(Path.Combine(agent.StateDir, "home"), (await RunAsync(client, "echo $HOME")).Trim());
        await RunAsync(client, "echo \"[$CATTY_SERVER_ONLY]\"", "[]");
        await RunAsync(client, "echo token=$API_TOKEN", "token=" + Secret);
        Assert.DoesNotContain(Secret, File.ReadAllText(Path.Combine(agent.StateDir, "agent.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_based_agents_installed_system_wide_stay_runnable_in_the_sandbox()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Sandbox = "bwrap", Argv = ["node", "-e", "console.log('node-ok-' + (6*7))"] });
        await using var client = await agent.ConnectAsync();

        await client.ReadUntilAsync("node-ok-42");
        Assert.Equal(0, (await client.NextControlAsync<ExitMessage>()).Code);
    }

    /// <summary>Runs a command line, waits for its output (and <paramref name="expect"/> in it) and the next prompt.</summary>
    internal static async Task<string> RunAsync(TerminalClient client, string command, string? expect = null)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        // The marker is printed split in two so that the echoed command line never matches it.
        var typedMarker = $"echo \"<{marker[..4]}\"\"{marker[4..]}>\"";
        await client.SendAsync($"{command}; {typedMarker}\r");
        var output = await client.ReadUntilAsync($"<{marker}>");
        // Typed ahead of the prompt, the line is echoed twice (by the tty, then by readline): output follows the last echo.
        output = output[output.LastIndexOf(typedMarker, StringComparison.Ordinal)..];
        output = output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..^(marker.Length + 2)];
        if (expect is not null)
            Assert.True(output.Contains(expect, StringComparison.Ordinal), $"`{command}` printed: {output}");
        return ControlSequence().Replace(output, "").Replace("\r", "", StringComparison.Ordinal);
    }

    /// <summary>CSI sequences such as bash's bracketed-paste switches around each command.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex ControlSequence();
}
