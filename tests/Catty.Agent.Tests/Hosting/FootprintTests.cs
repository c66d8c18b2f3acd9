using System.Diagnostics;
using System.Text.Json;
using Catty.Agent.Launch;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;
using Xunit.Abstractions;

namespace Catty.Agent.Tests.Hosting;

/// <summary>What one session costs: resident memory when idle; and the path from spawn to the first output byte.</summary>
public sealed class FootprintTests(ITestOutputHelper output)
{
    private static bool IsAot => AgentProcess.Executable.Contains("/aot/", StringComparison.Ordinal);

    [Fact]
    public async Task An_idle_agent_stays_within_30_MB_resident()
    {
        await using var agent = await AgentProcess.StartShellAsync();
        await using (var client = await agent.ConnectAsync())
        {
            await client.SendAsync("echo warm-$((1+1))\r");
            await client.ReadUntilAsync("warm-2");
            await client.CloseAsync();
        }
        await Poll.UntilAsync(() => !agent.GetStatusAsync().Result.ClientConnected, "the client is gone");

        var rssKiB = agent.RssKiB();

        output.WriteLine($"idle agent ({(IsAot ? "Native AOT" : "JIT")}): VmRSS {rssKiB} KiB");
        Assert.True(rssKiB <= (IsAot ? 30 : 80) * 1024, $"VmRSS {rssKiB} KiB");
    }

    [Fact]
    public async Task A_spawned_agent_announces_itself_and_serves_the_programs_first_output()
    {
        using var root = new TempDir();
        var state = root.Combine("state");
        Directory.CreateDirectory(state);
        using var listening = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(state, "agent.json") { EnableRaisingEvents = true };
        watcher.Renamed += (_, _) => listening.Release();
        var spec = new AgentLaunchSpec(Guid.NewGuid(), "quick-fox-1", ["echo", "first-byte"], new Dictionary<string, string>(), Sandbox: "none");
        var info = new ProcessStartInfo(AgentProcess.Executable) { RedirectStandardInput = true };
        foreach (var a in new[] { "--listen", "unix:" + root.Combine("state", "agent.sock"), "--workspace", root.Path, "--state-dir", state })
            info.ArgumentList.Add(a);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        await process.StandardInput.BaseStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(spec, CattyJson.Default.AgentLaunchSpec));
        process.StandardInput.Close();
        Assert.True(await listening.WaitAsync(Deadline.Default), "agent.json was written");
        var listeningAt = clock.Elapsed;
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(root.Combine("state", "agent.sock")), ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        });
        await using var client = await TerminalClient.ConnectAsync(new Uri("ws://agent/connect"), invoker, null, answerPings: true);
        await client.ReadUntilAsync("first-byte");
        var firstByteAt = clock.Elapsed;
        process.Kill();

        // Printed, not asserted: the time to the first byte is a benchmark figure (make bench), not a test's.
        output.WriteLine($"{(IsAot ? "Native AOT" : "JIT")} agent: listening after {listeningAt.TotalMilliseconds:0} ms, first output byte at the client after {firstByteAt.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Agent_json_names_the_pid_and_address_and_the_socket_is_private()
    {
        await using var agent = await AgentProcess.StartShellAsync();

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(agent.StateDir, "agent.json")));
        Assert.Equal(agent.Pid, json.RootElement.GetProperty("pid").GetInt32());
        Assert.Equal("unix:" + Path.Combine(agent.StateDir, "agent.sock"), json.RootElement.GetProperty("listen").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(agent.StateDir, "agent.sock")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(agent.StateDir, "agent.json")));
        // The home is made as the program starts, which may follow agent.json by a moment.
        await Poll.UntilAsync(() => agent.GetStatusAsync().Result.Pid > 0, "the program to start");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(agent.StateDir, "home")));
        Assert.Equal("running", (await agent.GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_missing_state_dir_is_created_private()
    {
        using var root = new TempDir();
        var state = root.Combine("deep", "state");
        var info = new ProcessStartInfo(AgentProcess.Executable) { RedirectStandardInput = true };
        foreach (var a in new[] { "--listen", "unix:" + root.Combine("agent.sock"), "--workspace", root.Path, "--state-dir", state })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var spec = new AgentLaunchSpec(Guid.NewGuid(), "l", ["sleep", "1000"], new Dictionary<string, string>(), Sandbox: "none");
        await process.StandardInput.BaseStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(spec, CattyJson.Default.AgentLaunchSpec));
        process.StandardInput.Close();
        try
        {
            await Poll.UntilAsync(() => File.Exists(Path.Combine(state, "agent.json")), "agent.json is written");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));
        }
        finally
        {
            // SIGTERM: the agent ends its program and itself.
            ProcessTree.Signal(process.Id, ProcessTreeStopper.SigTerm);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_connect_url_replays_output_already_produced_before_ready()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentStart { Argv = ["sh", "-c", "echo before-anyone; exec sleep 1000"] });
        await Poll.UntilAsync(() => agent.GetLogsAsync().Result.AsSpan().IndexOf("before-anyone"u8) >= 0, "the program printed");

        await using var client = await agent.ConnectAsync();

        await client.NextControlAsync<ReadyMessage>();
        Assert.Contains("before-anyone", System.Text.Encoding.UTF8.GetString(client.Bytes), StringComparison.Ordinal);
    }
}
