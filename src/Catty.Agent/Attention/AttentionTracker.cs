using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;

namespace Catty.Agent.Attention;

/// <summary>
/// The session's attention state (working, needs_input, idle; none once the program exited) with a version
/// that long polls wait on. Programs with hooks report their state; for the others (<see cref="AttentionSource.Quiet"/>)
/// output means working and a terminal quiet for <c>quietAfter</c> means idle.
/// </summary>
internal sealed class AttentionTracker : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly bool _quiet;
    private readonly TimeSpan _quietAfter;
    private readonly ITimer? _quietTimer;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentAttention _current;
    private long _lastOutput;
    private bool _ended;

    public AttentionTracker(string source, TimeSpan quietAfter, TimeProvider time)
    {
        _time = time;
        _quiet = source == AttentionSource.Quiet;
        _quietAfter = quietAfter;
        // Claude Code reports its start (SessionStart); Codex opens on its prompt and reports only turn ends.
        var initial = source == AttentionSource.Codex ? AttentionState.Idle : AttentionState.Working;
        _current = new AgentAttention(1, time.GetUtcNow(), initial);
        _lastOutput = time.GetTimestamp();
        if (_quiet)
            _quietTimer = time.CreateTimer(_ => QuietCheck(), null, quietAfter, Timeout.InfiniteTimeSpan);
    }

    public AgentAttention Current
    {
        get
        {
            lock (_gate)
                return _current;
        }
    }

    /// <summary>Answers at once when the version differs from <paramref name="after"/>, else on the next change or after <paramref name="timeout"/>.</summary>
    public async Task<AgentAttention> WaitForChangeAsync(long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_current.Version != after)
                return _current;
            changed = _changed.Task;
        }
        await Task.WhenAny(changed, Task.Delay(timeout, _time, cancellationToken)).ConfigureAwait(false);
        return Current;
    }

    /// <summary>A state reported by the program's hooks. Ignored once the program has ended.</summary>
    public void Report(string state) => Set(state);

    /// <summary>Called for each chunk of program output.</summary>
    public void OnOutput()
    {
        if (!_quiet)
            return;
        Volatile.Write(ref _lastOutput, _time.GetTimestamp());
        if (Volatile.Read(ref _current).State != AttentionState.Working && Set(AttentionState.Working))
            _quietTimer!.Change(_quietAfter, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Called for client input. A line sent to a program that waited (Enter answers a prompt or submits one)
    /// means it works again; programs with hooks confirm or correct this with their next report.
    /// </summary>
    public void OnInput(ReadOnlySpan<byte> data)
    {
        if (_quiet || data.IndexOfAny((byte)'\r', (byte)'\n') < 0)
            return;
        if (Volatile.Read(ref _current).State is AttentionState.Idle or AttentionState.NeedsInput)
            Set(AttentionState.Working);
    }

    /// <summary>The program has exited: no state, for good.</summary>
    public void OnExit()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_ended)
                return;
            _ended = true;
            _current = new AgentAttention(_current.Version + 1, _time.GetUtcNow());
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private bool Set(string state)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_ended || _current.State == state)
                return false;
            _current = new AgentAttention(_current.Version + 1, _time.GetUtcNow(), state);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        return true;
    }

    private void QuietCheck()
    {
        var quietFor = _time.GetElapsedTime(Volatile.Read(ref _lastOutput));
        if (quietFor < _quietAfter)
        {
            _quietTimer!.Change(_quietAfter - quietFor, Timeout.InfiniteTimeSpan);
            return;
        }
        if (Current.State == AttentionState.Working)
            Set(AttentionState.Idle);
    }

    public void Dispose() => _quietTimer?.Dispose();
}
