using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Catty.Agent.Launch;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Tests.Fixtures;

/// <summary>How to start an agent in a test.</summary>
internal sealed record AgentStart
{
    public IReadOnlyList<string> Argv { get; init; } = AgentProcess.Shell;

    public Dictionary<string, string> Env { get; init; } = new() { ["PS1"] = "$ " };

    public string Sandbox { get; init; } = "none";

    public string Network { get; init; } = AgentNetworkMode.None;

    public string? Token { get; init; }

    public bool Tcp { get; init; }

    public int Cols { get; init; } = 80;

    public int Rows { get; init; } = 24;

    /// <summary>Files to place in the workspace before the program starts (relative path → content).</summary>
    public Dictionary<string, string> WorkspaceFiles { get; init; } = [];

    /// <summary>Variables in the agent's own environment (which the program must not inherit).</summary>
    public Dictionary<string, string> AgentEnv { get; init; } = [];

    /// <summary><c>name=value</c> overrides passed as <c>--option</c>.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Host folders the sandbox shows read-only (the launch spec's <c>read_only_paths</c>).</summary>
    public IReadOnlyList<string>? ReadOnlyPaths { get; init; }

    /// <summary>A folder copied into the program's fresh home (the launch spec's <c>home_template</c>).</summary>
    public string? HomeTemplate { get; init; }

    /// <summary>How long the program waits for an upload or a client (the launch spec's <c>start_hold_ms</c>); 0: at once.</summary>
    public int StartHoldMs { get; init; }

    /// <summary>Where attention comes from (the launch spec's <c>attention</c>).</summary>
    public string Attention { get; init; } = AttentionSource.Quiet;

    /// <summary>Size cap of the sandbox's /tmp and /dev/shm in MiB (the launch spec's <c>tmp_mb</c>).</summary>
    public int TmpMb { get; init; } = AgentLaunchSpec.DefaultTmpMb;
}

/// <summary>
/// The real catty-agent executable (built next to this test assembly) running one session in a temp
/// folder: workspace, state dir, and HTTP/WebSocket access over its Unix socket or TCP port.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    /// <summary>bash without rc files and with a fixed prompt, so output is predictable.</summary>
    public static readonly IReadOnlyList<string> Shell = ["bash", "--norc", "--noprofile"];

    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly Func<SocketsHttpHandler> _handler;

    private AgentProcess(Process process, TempDir root, string listen, string? token)
    {
        _process = process;
        Root = root;
        Listen = listen;
        Token = token;
        _handler = listen.StartsWith("unix:", StringComparison.Ordinal)
            ? () => new SocketsHttpHandler { ConnectCallback = (_, ct) => ConnectUnixAsync(listen["unix:".Length..], ct) }
            : () => new SocketsHttpHandler();
        _http = new HttpClient(_handler()) { BaseAddress = BaseUri("http") };
        if (token is not null)
            _http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    public TempDir Root { get; }

    public string Workspace => Root.Combine("workspace");

    public string StateDir => Root.Combine("state");

    public string Listen { get; }

    public string? Token { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public HttpClient Http => _http;

    /// <summary>The Native AOT build the project ships (see the test project file), else the JIT build.</summary>
    public static string Executable { get; } = File.Exists(Path.Combine(AppContext.BaseDirectory, "aot", "catty-agent"))
        ? Path.Combine(AppContext.BaseDirectory, "aot", "catty-agent")
        : Path.Combine(AppContext.BaseDirectory, "catty-agent");

    public static Task<AgentProcess> StartShellAsync(params string[] options) => StartAsync(new AgentStart { Options = options });

    public static async Task<AgentProcess> StartAsync(AgentStart start)
    {
        var root = new TempDir();
        Directory.CreateDirectory(root.Combine("workspace"));
        foreach (var (path, content) in start.WorkspaceFiles)
            File.WriteAllText(root.Combine("workspace", path), content);
        Directory.CreateDirectory(root.Combine("state"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var listen = start.Tcp ? "tcp:127.0.0.1:0" : "unix:" + root.Combine("state", "agent.sock");
        var spec = new AgentLaunchSpec(
            Guid.NewGuid(), "brave-tiger-1234", start.Argv, start.Env, start.Cols, start.Rows, start.Sandbox, new AgentNetworkSpec(start.Network), start.Token,
            start.ReadOnlyPaths, start.HomeTemplate, start.StartHoldMs, start.TmpMb, start.Attention);
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in start.AgentEnv)
            info.Environment[name] = value;
        foreach (var a in new[] { "--listen", listen, "--workspace", root.Combine("workspace"), "--state-dir", root.Combine("state") })
            info.ArgumentList.Add(a);
        foreach (var option in start.Options)
        {
            info.ArgumentList.Add("--option");
            info.ArgumentList.Add(option);
        }
        var process = Process.Start(info)!;
        await process.StandardInput.BaseStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(spec, CattyJson.Default.AgentLaunchSpec));
        process.StandardInput.Close();
        var agentJson = root.Combine("state", "agent.json");
        try
        {
            await Poll.UntilAsync(() => File.Exists(agentJson) || process.HasExited, "agent.json is written");
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }
        if (!File.Exists(agentJson))
            throw new InvalidOperationException($"catty-agent exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}\n{ReadLog(root)}");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(agentJson));
        return new AgentProcess(process, root, doc.RootElement.GetProperty("listen").GetString()!, start.Token);
    }

    public Uri BaseUri(string scheme) => Listen.StartsWith("tcp:", StringComparison.Ordinal)
        ? new Uri($"{scheme}://{Listen["tcp:".Length..]}/")
        : new Uri($"{scheme}://agent/");

    public Task<TerminalClient> ConnectAsync(string? token = null, bool answerPings = true) =>
        TerminalClient.ConnectAsync(new Uri(BaseUri("ws"), "connect"), new HttpMessageInvoker(_handler()), token ?? Token, answerPings);

    /// <summary>A client that receives only when the test asks it to (for pacing a slow reader).</summary>
    public Task<TerminalClient> ConnectManualAsync() =>
        TerminalClient.ConnectAsync(new Uri(BaseUri("ws"), "connect"), new HttpMessageInvoker(_handler()), Token, answerPings: false, receive: false);

    public async Task<AgentStatus> GetStatusAsync() =>
        (await _http.GetFromJsonAsync("status", CattyJson.Default.AgentStatus))!;

    public async Task<AgentStatus> WaitForProgramExitAsync()
    {
        using var cts = new CancellationTokenSource(Deadline.Default);
        return (await _http.GetFromJsonAsync("wait", CattyJson.Default.AgentStatus, cts.Token))!;
    }

    /// <summary><c>GET /attention?after=</c>: the next state after <paramref name="after"/> (or the same after the poll timeout).</summary>
    public async Task<AgentAttention> GetAttentionAsync(long after = 0)
    {
        using var cts = new CancellationTokenSource(Deadline.Default);
        return (await _http.GetFromJsonAsync($"attention?after={after}", CattyJson.Default.AgentAttention, cts.Token))!;
    }

    /// <summary>Long-polls <c>/attention</c> until the state is <paramref name="state"/>.</summary>
    public async Task<AgentAttention> WaitForAttentionAsync(string? state)
    {
        var deadline = DateTime.UtcNow + Deadline.Default;
        var current = await GetAttentionAsync();
        while (current.State != state)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"attention stayed {current.State ?? "null"}, not {state ?? "null"}\n{AgentLog()}");
            current = await GetAttentionAsync(current.Version);
        }
        return current;
    }

    public Task<byte[]> GetLogsAsync() => _http.GetByteArrayAsync("logs");

    public async Task<AgentStatus> StopAsync(int graceMs = 3000)
    {
        using var response = await _http.PostAsJsonAsync("stop", new AgentStopRequest("user", graceMs), CattyJson.Default.AgentStopRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(CattyJson.Default.AgentStatus))!;
    }

    public async Task WaitForAgentExitAsync()
    {
        using var cts = new CancellationTokenSource(Deadline.Default);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>The agent's resident memory in KiB (VmRSS).</summary>
    public long RssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("no VmRSS");
    }

    public string AgentLog() => ReadLog(Root);

    /// <summary>Closes our ends of the agent's stdout and stderr, as when the server that started it dies.</summary>
    public void CloseStandardStreams()
    {
        _process.StandardOutput.Close();
        _process.StandardError.Close();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var programPid = 0;
            try
            {
                programPid = (await GetStatusAsync()).Pid;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (programPid > 0)
            {
                foreach (var p in ProcessTree.Collect(programPid))
                    ProcessTree.Signal(p.Pid, 9);
            }
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _http.Dispose();
        _process.Dispose();
        Root.Dispose();
    }

    private static string ReadLog(TempDir root)
    {
        var path = root.Combine("state", "agent.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no agent.log)";
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
