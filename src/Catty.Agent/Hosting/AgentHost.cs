using System.Net.Sockets;
using System.Net.WebSockets;
using Catty.Agent.Control;
using Catty.Agent.Http;
using Catty.Agent.Launch;
using Catty.Agent.Terminal;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Hosting;

/// <summary>
/// One agent's lifetime: listen, serve, and end exactly once, whatever ends it (POST /stop, the linger
/// after the program exited, SIGTERM). Ending always leaves <c>exit.json</c> and <c>output.log</c> behind.
/// </summary>
internal sealed class AgentHost
{
    private readonly AgentCommandLine _commandLine;
    private readonly AgentLaunchSpec _spec;
    private readonly StateFiles _files;
    private readonly AgentLog _log;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _startRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _stopGate = new();
    private Task<AgentStatus>? _stopping;

    public AgentHost(AgentCommandLine commandLine, AgentLaunchSpec spec, StateFiles files, TerminalSession session, AgentLog log, TimeProvider time)
    {
        _commandLine = commandLine;
        _spec = spec;
        _files = files;
        _log = log;
        _time = time;
        Session = session;
    }

    public TerminalSession Session { get; }

    /// <summary>Completes when the agent has decided to end.</summary>
    public Task ShuttingDown => _shutdown.Task;

    /// <summary>
    /// Completes, with the reason, when the program should start: the workspace upload arrived, a client
    /// connected, the hold elapsed, or the session is stopping. The main thread waits on it, then spawns.
    /// </summary>
    public Task<string> StartRequested => _startRequested.Task;

    public void RequestStart(string why)
    {
        if (_startRequested.TrySetResult(why))
            _log.Info("starting the program: " + why);
    }

    /// <summary>Serves on an already listening socket until shutdown, then cleans up. Returns the process exit code.</summary>
    public async Task<int> RunAsync(Socket listener, string boundAddress)
    {
        var options = _commandLine.Options;
        // The upload lands before the program starts, so the program finds the user's files from its first moment.
        using var workspace = new WorkspaceEndpoints(_commandLine.Workspace, _commandLine.StateDir, _time, () => RequestStart("the workspace upload arrived"));
        var endpoints = new AgentEndpoints(this, _spec.AgentToken, options, _time, _log, workspace);
        var server = new HttpServer(listener, endpoints.HandleAsync, options, _time, _log, WorkspaceEndpoints.StreamsBody);
        using var stopAccepting = new CancellationTokenSource();
        var serving = server.RunAsync(stopAccepting.Token);
        _ = LingerAfterExitAsync();
        _log.Info($"serving on {boundAddress}");
        if (_spec.StartHoldMs == 0)
            RequestStart("at once");
        else
            _ = StartAfterHoldAsync(TimeSpan.FromMilliseconds(_spec.StartHoldMs));

        await _shutdown.Task.ConfigureAwait(false);

        await StopProgramAsync("agent ending", options.DefaultStopGrace).ConfigureAwait(false);
        var closing = Session.CloseDriver(WebSocketCloseStatus.EndpointUnavailable, TerminalCloseReasons.SessionStopped);
        await Task.WhenAny(closing, Task.Delay(options.CloseTimeout, _time)).ConfigureAwait(false);
        await stopAccepting.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        await serving.ConfigureAwait(false);
        if (_commandLine.Listen.UnixPath is { } path)
            TryDelete(path);
        TryDelete(_files.AgentJson);
        var gc = GC.GetGCMemoryInfo();
        _log.Info($"agent exiting; allocated {GC.GetTotalAllocatedBytes() >> 20} MiB in all, {GC.CollectionCount(0)} gen0 GCs, "
            + $"heap {gc.HeapSizeBytes >> 20} MiB, peak working set {Environment.WorkingSet >> 20} MiB");
        return 0;
    }

    public void RequestShutdown(string why)
    {
        if (_shutdown.TrySetResult())
            _log.Info("shutting down: " + why);
    }

    /// <summary>
    /// Ends the program's tree (once; later calls share the first), waits for its exit, and records
    /// exit.json and output.log before anyone is told the result.
    /// </summary>
    public Task<AgentStatus> StopProgramAsync(string reason, TimeSpan grace)
    {
        lock (_stopGate)
            return _stopping ??= StopOnceAsync(reason, grace);
    }

    private async Task<AgentStatus> StopOnceAsync(string reason, TimeSpan grace)
    {
        // A program still held back starts and is stopped like any other: one path, one kind of exit record.
        RequestStart("the session is stopping");
        await Session.Launched.ConfigureAwait(false);
        var program = Session.Program;
        _log.Info($"stopping the program ({reason}), grace {grace.TotalMilliseconds:0} ms");
        // Even after the program exited, background jobs may live on in its session.
        var killed = await ProcessTreeStopper.StopAsync(program.Pid, program.Sandboxed, grace, _time).ConfigureAwait(false);
        if (killed > 0)
            _log.Info($"{killed} process(es) needed SIGKILL");
        try
        {
            await Session.Exited.WaitAsync(TimeSpan.FromSeconds(10), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Warn("the program did not exit after SIGKILL");
        }
        var status = Session.Status();
        WriteExitFiles(status);
        return status;
    }

    private void WriteExitFiles(AgentStatus status)
    {
        try
        {
            _files.WriteExit(status, Session.RecentOutput());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("cannot write exit.json/output.log: " + e.Message);
        }
    }

    private async Task StartAfterHoldAsync(TimeSpan hold)
    {
        await Task.WhenAny(_startRequested.Task, Task.Delay(hold, _time)).ConfigureAwait(false);
        RequestStart($"nothing was uploaded and no client connected within {hold.TotalSeconds:0.#} s");
    }

    private async Task LingerAfterExitAsync()
    {
        await Session.Exited.ConfigureAwait(false);
        var linger = _commandLine.Options.LingerAfterExit;
        await Task.WhenAny(_shutdown.Task, Task.Delay(linger, _time)).ConfigureAwait(false);
        RequestShutdown($"the program exited and nobody stopped the agent within {linger.TotalSeconds:0} s");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
