using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Catty.Agent.Launch;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Control;

/// <summary>/status, /wait, /logs, /stop and the files an agent leaves behind.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Stop_ends_the_whole_tree_including_background_jobs()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("$ ");
        await client.SendAsync("sleep 1000 & echo bg=$!\r");
        var background = await ReadPidAsync(client, "bg");
        // As a job, setsid is a group leader, so it forks and its parent exits: the sleeper is an orphan.
        await client.SendAsync("setsid sh -c 'echo \"o\"\"wn=$$\"; exec sleep 1001' &\r");
        var ownSession = await ReadPidAsync(client, "own");
        await client.SendAsync("nohup sleep 1002 >/dev/null 2>&1 & echo bg=$!\r");
        var nohup = await ReadPidAsync(client, "bg");
        File.WriteAllText(Path.Combine(agent.Workspace, "daemonize.sh"), "setsid sh -c 'echo daemon=$$; exec sleep 1003' &\n");
        await client.SendAsync("sh daemonize.sh\r");
        var daemon = await ReadPidAsync(client, "daemon");
        var shell = (await agent.GetStatusAsync()).Pid;
        Assert.All(new[] { shell, background, ownSession, nohup, daemon }, pid => Assert.True(ProcessTree.IsRunning(pid), $"{pid} runs"));

        var status = await agent.StopAsync(graceMs: 5000);

        Assert.Equal("exited", status.State);
        Assert.Equal("SIGHUP", status.ExitSignal);
        Assert.All(new[] { shell, background, ownSession, nohup, daemon }, pid => Assert.False(ProcessTree.IsRunning(pid), $"{pid} is gone"));
        var (_, reason) = await client.WaitForCloseAsync();
        Assert.Equal("Session stopped", reason);
        await agent.WaitForAgentExitAsync();
    }

    [Fact]
    public async Task Stop_kills_what_ignores_SIGHUP_and_SIGTERM_after_the_grace()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Argv = ["sh", "-c", "trap '' HUP TERM; echo trapped; while :; do sleep 1; done"],
        });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("trapped");
        var shell = (await agent.GetStatusAsync()).Pid;

        var status = await agent.StopAsync(graceMs: 300);

        Assert.Equal("SIGKILL", status.ExitSignal);
        Assert.False(ProcessTree.IsRunning(shell));
        Assert.DoesNotContain(ProcessTree.Collect(shell), p => !p.IsZombie);
    }

    [Fact]
    public async Task Status_wait_and_logs_follow_the_program()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["sh", "-c", "echo waiting-for-input; read x; echo got-$x; exit 4"] });
        await using var client = await agent.ConnectAsync();
        await client.ReadUntilAsync("waiting-for-input");
        var running = await agent.GetStatusAsync();
        Assert.Equal("running", running.State);
        Assert.Null(running.ExitCode);
        Assert.False(running.Sandboxed);
        Assert.True(running.ClientConnected);
        Assert.True(running.Pid > 0);

        var wait = agent.WaitForProgramExitAsync();
        await agent.GetStatusAsync();
        Assert.False(wait.IsCompleted);
        await client.SendAsync("go\r");
        var exited = await wait;

        Assert.Equal("exited", exited.State);
        Assert.Equal(4, exited.ExitCode);
        Assert.Null(exited.ExitSignal);
        var logs = Encoding.UTF8.GetString(await agent.GetLogsAsync());
        Assert.Contains("waiting-for-input", logs, StringComparison.Ordinal);
        Assert.Contains("got-go", logs, StringComparison.Ordinal);
        Assert.Equal(4, (await agent.WaitForProgramExitAsync()).ExitCode);
    }

    [Fact]
    public async Task Stop_leaves_exit_json_and_output_log_and_removes_agent_json_and_the_socket()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["sh", "-c", "echo left-behind; exec sleep 1000"] });
        await using (var client = await agent.ConnectAsync())
            await client.ReadUntilAsync("left-behind");

        var status = await agent.StopAsync();
        await agent.WaitForAgentExitAsync();

        var exit = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(agent.StateDir, "exit.json")), CattyJson.Default.AgentStatus)!;
        Assert.Equal(status, exit);
        Assert.Contains("left-behind", File.ReadAllText(Path.Combine(agent.StateDir, "output.log")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(agent.StateDir, "agent.json")));
        Assert.False(File.Exists(Path.Combine(agent.StateDir, "agent.sock")));
        Assert.Contains("stopping the program (user)", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_program_exits_the_agent_lingers_then_ends_by_itself_leaving_exit_json()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            Argv = ["sh", "-c", "read x; echo short-lived; exit 9"],
            Options = ["linger-ms=500"],
        });
        var wait = agent.WaitForProgramExitAsync();
        await using (var client = await agent.ConnectAsync())
        {
            await client.SendAsync("\r");
            await client.ReadUntilAsync("short-lived");
        }
        Assert.Equal(9, (await wait).ExitCode);

        await agent.WaitForAgentExitAsync();

        var exit = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(agent.StateDir, "exit.json")), CattyJson.Default.AgentStatus)!;
        Assert.Equal(9, exit.ExitCode);
        Assert.Contains("short-lived", File.ReadAllText(Path.Combine(agent.StateDir, "output.log")), StringComparison.Ordinal);
        Assert.Contains("nobody stopped the agent", agent.AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_to_the_agent_stops_the_program_and_records_the_exit()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["sleep", "1000"] });
        var sleeper = (await agent.GetStatusAsync()).Pid;

        ProcessTree.Signal(agent.Pid, ProcessTreeStopper.SigTerm);
        await agent.WaitForAgentExitAsync();

        Assert.False(ProcessTree.IsRunning(sleeper));
        var exit = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(agent.StateDir, "exit.json")), CattyJson.Default.AgentStatus)!;
        Assert.Equal("exited", exit.State);
        Assert.NotNull(exit.ExitSignal);
    }

    [Fact]
    public async Task The_agent_outlives_the_pipes_of_whoever_started_it()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        agent.CloseStandardStreams();
        await using var client = await agent.ConnectAsync();
        await client.SendAsync("echo no-pipes-$((5*5))\r");
        await client.ReadUntilAsync("no-pipes-25");

        await agent.StopAsync();
        await agent.WaitForAgentExitAsync();

        Assert.True(File.Exists(Path.Combine(agent.StateDir, "exit.json")));
    }

    [Fact]
    public async Task A_program_that_cannot_start_reports_127_and_why()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["no-such-program-here"] });
        await using var client = await agent.ConnectAsync();

        await client.ReadUntilAsync("no-such-program-here: command not found");
        var exit = await client.NextControlAsync<ExitMessage>();

        Assert.Equal(127, exit.Code);
        Assert.Equal(127, (await agent.WaitForProgramExitAsync()).ExitCode);
    }

    [Theory]
    [InlineData("{\"argv\": [\"sh\"], \"env\": {\"TOKEN\": \"hunter2\"", "launch spec is not valid JSON")]
    [InlineData("{\"session_id\": \"00000000-0000-0000-0000-000000000001\", \"label\": \"l\", \"argv\": [\"sh\"]}", "launch spec is not usable")]
    [InlineData("{\"session_id\": \"00000000-0000-0000-0000-000000000001\", \"label\": \"l\", \"argv\": [], \"env\": {\"TOKEN\": \"hunter2\"}}", "non-empty argv")]
    public async Task A_bad_launch_spec_fails_the_agent_with_exit_code_2_and_a_log_line(string spec, string logged)
    {
        using var root = new TempDir();
        var info = new ProcessStartInfo(AgentProcess.Executable) { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--listen", "unix:" + root.Combine("a.sock"), "--workspace", root.Path, "--state-dir", root.Combine("state") })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(spec);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(Deadline.Default);
        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        var log = File.ReadAllText(root.Combine("state", "agent.log"));
        Assert.Contains(logged, log, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_already_in_use_fails_the_agent_with_exit_code_2_and_a_log_line()
    {
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        using var root = new TempDir();
        var info = new ProcessStartInfo(AgentProcess.Executable) { RedirectStandardInput = true };
        foreach (var a in new[] { "--listen", "tcp:" + taken.LocalEndPoint, "--workspace", root.Path, "--state-dir", root.Combine("state") })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var spec = new AgentLaunchSpec(Guid.NewGuid(), "l", ["sh"], new Dictionary<string, string>(), Sandbox: "none");
        await process.StandardInput.BaseStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(spec, CattyJson.Default.AgentLaunchSpec));
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(Deadline.Default);
        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("cannot listen", File.ReadAllText(root.Combine("state", "agent.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_fail_with_usage_and_exit_code_2()
    {
        var info = new ProcessStartInfo(AgentProcess.Executable) { RedirectStandardError = true };
        info.ArgumentList.Add("--listen");
        info.ArgumentList.Add("carrier-pigeon:1");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--listen must be unix:PATH or tcp:IP:PORT", stderr, StringComparison.Ordinal);
    }

    private static async Task<int> ReadPidAsync(TerminalClient client, string name) =>
        int.Parse((await client.ReadUntilMatchAsync(new Regex(name + @"=(\d+)"))).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
