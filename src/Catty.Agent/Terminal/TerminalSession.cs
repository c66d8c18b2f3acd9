using System.Net.WebSockets;
using Catty.Agent.Attention;
using Catty.Agent.Hosting;
using Catty.Agent.Launch;
using Catty.Agent.Screen;
using Catty.Pty;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Terminal;

/// <summary>
/// The one terminal of this agent: the program's output flows from a dedicated PTY reader thread into
/// the screen model, the logs ring and the current driver's queue, all under one lock. A driver is
/// installed under that same lock together with its replay, so the replay and the live output that
/// follows it meet exactly: no byte is lost or repeated between them.
/// </summary>
internal sealed class TerminalSession
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource _launched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _sandboxed;
    private RunningProgram? _program;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentLog _log;
    private readonly TerminalScreen _screen;
    private readonly OutputRing _ring;
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<PtyExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TerminalDriver? _driver;
    private PtyExitStatus? _exit;
    private long _activity;

    /// <param name="sandboxed">Whether the program will run in the sandbox (it starts later, see <see cref="Launch"/>).</param>
    public TerminalSession(bool sandboxed, string workspace, int cols, int rows, AgentOptions options, TimeProvider time, AgentLog log, AttentionTracker attention)
    {
        Attention = attention;
        _sandboxed = sandboxed;
        Workspace = workspace;
        _options = options;
        _time = time;
        _log = log;
        _screen = new TerminalScreen(cols, rows, options.ScrollbackLines);
        _ring = new OutputRing(options.LogsRingBytes);
    }

    /// <summary>Completes once the program has exited and its output has been taken in.</summary>
    public Task<PtyExitStatus> Exited => _exited.Task;

    /// <summary>The program, once <see cref="Launch"/> has run; await <see cref="Launched"/> first.</summary>
    public RunningProgram Program => _program ?? throw new InvalidOperationException("The program has not been launched.");

    /// <summary>Completes once the program has been spawned (or has failed to start).</summary>
    public Task Launched => _launched.Task;

    /// <summary>The workspace folder as the agent sees it.</summary>
    public string Workspace { get; }

    /// <summary>The workspace folder as the program sees it (the sandbox mounts it at /workspace).</summary>
    public string ProgramWorkspace => _sandboxed ? "/workspace" : Workspace;

    /// <summary>What the program needs from a person; fed by its output, client input and its exit.</summary>
    public AttentionTracker Attention { get; }

    public long ActivityCount => Interlocked.Read(ref _activity);

    /// <summary>Takes the spawned program in: its output starts flowing to the screen, the logs and the driver.</summary>
    public void Launch(RunningProgram program)
    {
        lock (_gate)
        {
            if (_program is not null)
                throw new InvalidOperationException("The program was launched already.");
            _program = program;
        }
        var reader = new Thread(ReadOutput) { IsBackground = true, Name = "pty-reader" };
        reader.Start();
        _ = PublishExitAsync();
        _launched.TrySetResult();
    }

    public AgentStatus Status()
    {
        lock (_gate)
        {
            return new AgentStatus(
                _exit is null ? AgentState.Running : AgentState.Exited,
                _program?.Pid ?? 0,
                _exit?.ExitCode,
                _exit?.SignalName,
                ActivityCount,
                _program?.Sandboxed ?? _sandboxed,
                _driver is not null);
        }
    }

    public byte[] RecentOutput()
    {
        lock (_gate)
            return _ring.ToArray();
    }

    /// <summary>Makes <paramref name="driver"/> the one driver: replay, ready, and exit if the program is gone.</summary>
    public void Attach(TerminalDriver driver)
    {
        TerminalDriver? previous;
        lock (_gate)
        {
            previous = _driver;
            _driver = driver;
            driver.Queue.EnqueueReplay(_screen.Serialize());
            driver.Queue.EnqueueControl(new ReadyMessage());
            if (_exit is { } exit)
                driver.Queue.EnqueueControl(new ExitMessage(exit.ExitCode, exit.SignalName));
        }
        previous?.Close(WebSocketCloseStatus.PolicyViolation, TerminalCloseReasons.Replaced);
    }

    public void Detach(TerminalDriver driver)
    {
        lock (_gate)
        {
            if (_driver == driver)
                _driver = null;
        }
    }

    /// <summary>Closes the current driver, if any, after what is queued for it has been sent.</summary>
    public Task CloseDriver(WebSocketCloseStatus status, string reason)
    {
        TerminalDriver? driver;
        lock (_gate)
            driver = _driver;
        driver?.Close(status, reason, discardPending: false);
        return driver?.Completion ?? Task.CompletedTask;
    }

    public bool Input(ReadOnlySpan<byte> data)
    {
        Interlocked.Increment(ref _activity);
        Attention.OnInput(data);
        return Volatile.Read(ref _program)?.Write(data) ?? false;
    }

    public void Resize(int cols, int rows)
    {
        lock (_gate)
        {
            _screen.Resize(cols, rows);
            _program?.Resize(cols, rows);
        }
    }

    public bool Signal(int signal)
    {
        Interlocked.Increment(ref _activity);
        return Volatile.Read(ref _program)?.SignalForeground(signal) ?? false;
    }

    private void ReadOutput()
    {
        var program = _program!;
        var buffer = new byte[_options.ReadChunkBytes];
        try
        {
            while (true)
            {
                Volatile.Read(ref _driver)?.Queue.WaitForSpace();
                var n = program.Read(buffer);
                if (n <= 0)
                    break;
                var chunk = buffer.AsSpan(0, n);
                Interlocked.Increment(ref _activity);
                Attention.OnOutput();
                lock (_gate)
                {
                    _screen.Feed(chunk);
                    _ring.Write(chunk);
                    _driver?.Queue.EnqueueOutput(chunk);
                }
            }
        }
        catch (Exception e)
        {
            // A bug in the screen model must not leave the session without an exit.
            _log.Error("pty reader failed: " + e);
        }
        _outputEnded.TrySetResult();
    }

    private async Task PublishExitAsync()
    {
        var status = await _program!.Exited.ConfigureAwait(false);
        // Output written just before exit is still in the PTY: let the reader take it in first, so that
        // `exit` follows the last byte. A background job that keeps the terminal open must not hold the
        // announcement back for long.
        await Task.WhenAny(_outputEnded.Task, Task.Delay(_options.OutputDrainAfterExit, _time)).ConfigureAwait(false);
        lock (_gate)
        {
            _exit = status;
            _driver?.Queue.EnqueueControl(new ExitMessage(status.ExitCode, status.SignalName));
        }
        Attention.OnExit();
        _log.Info($"program exited: code {status.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, signal {status.SignalName ?? "-"}");
        _exited.TrySetResult(status);
    }
}
