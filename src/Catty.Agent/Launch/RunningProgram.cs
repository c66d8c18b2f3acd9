using System.Text;
using Catty.Pty;

namespace Catty.Agent.Launch;

/// <summary>
/// The session's program in its PTY, or, when it could not be started, a stand-in that prints why and
/// exits with 127 the way a shell reports a command it cannot run, so clients and the server see one
/// uniform "the program ended" path.
/// </summary>
internal sealed class RunningProgram : IDisposable
{
    public const int CannotRunExitCode = 127;

    private readonly PtyProcess? _pty;
    private byte[]? _failureText;

    private RunningProgram(PtyProcess pty, bool sandboxed)
    {
        _pty = pty;
        Sandboxed = sandboxed;
        Pid = pty.Pid;
        Exited = pty.WaitForExitAsync(CancellationToken.None);
    }

    private RunningProgram(string failure, bool sandboxed)
    {
        _failureText = Encoding.UTF8.GetBytes("catty-agent: " + failure + "\r\n");
        Sandboxed = sandboxed;
        Exited = Task.FromResult(new PtyExitStatus(CannotRunExitCode, null));
    }

    /// <summary>Host pid of the program (of bwrap when sandboxed); 0 when it never started.</summary>
    public int Pid { get; }

    public bool Sandboxed { get; }

    public bool Started => _pty is not null;

    public Task<PtyExitStatus> Exited { get; }

    /// <summary>
    /// Spawns the plan. Call from a thread that lives as long as the agent: bwrap's --die-with-parent
    /// watches the spawning thread, not the process.
    /// </summary>
    public static RunningProgram Start(LaunchPlan plan)
    {
        try
        {
            PrepareHome(plan);
            if (plan.Network is { } network)
            {
                // Written first: SandboxEtc keeps a resolv.conf that is already there.
                Directory.CreateDirectory(Path.GetDirectoryName(network.ResolvConfPath)!);
                File.WriteAllText(network.ResolvConfPath, SessionNetwork.ResolvConf);
            }
            if (plan.EtcFolder is { } etc)
                SandboxEtc.Write(etc, plan.EtcFiles);
            using var inputs = SandboxInputs.Open(plan);
            using var gate = plan.Gated ? SandboxStartGate.Create() : null;
            var pty = PtyProcess.Start(new PtyStartOptions(plan.Argv)
            {
                Environment = plan.HostEnvironment,
                WorkingDirectory = plan.WorkingDirectory,
                Cols = plan.Cols,
                Rows = plan.Rows,
                // The gate's ends land right after bwrap's inputs (3, 4): on SandboxStartGate.InfoFd and BlockFd.
                InheritedHandles = gate is null ? inputs.Handles : [.. inputs.Handles, .. gate.ChildHandles],
            });
            if (gate is null)
                return new RunningProgram(pty, plan.Sandboxed);
            var setup = System.Diagnostics.Stopwatch.StartNew();
            if (PrepareSandbox(pty, gate, plan, out var phases) is { } prepareError)
                return Failed(prepareError, plan.Sandboxed);
            return new RunningProgram(pty, plan.Sandboxed) { NetworkSetup = plan.Network is null ? null : setup.Elapsed, NetworkPhases = phases };
        }
        catch (PtyException e)
        {
            return Failed($"cannot run {plan.Argv[0]}: {e.Message}", plan.Sandboxed);
        }
        catch (ArgumentException e)
        {
            return Failed($"cannot run {plan.Argv[0]}: {e.Message}", plan.Sandboxed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"cannot prepare {plan.HomeDirectory}: {e.Message}", plan.Sandboxed);
        }
    }

    /// <summary>Creates the private home, filled from the template when it is new. Idempotent.</summary>
    public static void PrepareHome(LaunchPlan plan)
    {
        var freshHome = !Directory.Exists(plan.HomeDirectory);
        Directory.CreateDirectory(plan.HomeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (freshHome && plan.HomeTemplate is { } template)
            HomeTemplate.CopyInto(template, plan.HomeDirectory);
    }

    public static RunningProgram Failed(string why, bool sandboxed) => new(why, sandboxed);

    /// <summary>How long fencing and connecting a sandbox's network may take before the session gives up.</summary>
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Time taken to fence and connect an isolated network, for the agent's log; null without one.</summary>
    public TimeSpan? NetworkSetup { get; private init; }

    /// <summary>Where <see cref="NetworkSetup"/> went, for the agent's log.</summary>
    public string? NetworkPhases { get; private init; }

    /// <summary>
    /// While bubblewrap holds the program: moves the sandbox into the program's cgroup (everything it starts follows),
    /// fences and connects its network, then lets it start; null when done. On failure the sandbox is killed before
    /// the gate closes: closing alone would let the program run unfenced.
    /// </summary>
    private static string? PrepareSandbox(PtyProcess pty, SandboxStartGate gate, LaunchPlan plan, out string? phases)
    {
        phases = null;
        var sandboxPid = gate.ReadChildPid();
        string? error;
        if (sandboxPid is not { } pid)
            error = "bubblewrap ended before it reported the sandbox";
        else if (JoinCgroup(pid, plan.ProgramCgroupProcs) is { } notJoined)
            error = notJoined;
        else if (plan.Network is { } network)
        {
            error = Network(SessionNetwork.Attach(pid, network.Spec, network.Tools, NetworkTimeout, out var took));
            phases = took;
        }
        else
            error = null;
        if (error is null && gate.Open())
            return null;
        if (sandboxPid is { } child)
            ProcessTree.Signal(child, 9);
        pty.Signal(9);
        pty.Dispose();
        return error ?? "bubblewrap ended before its program started";

        static string? Network(string? failure) => failure is null ? null : "cannot connect the session's network: " + failure;
    }

    private static string? JoinCgroup(int pid, string? procs)
    {
        if (procs is null)
            return null;
        try
        {
            // One pid per write(2), as cgroupfs wants it.
            using var file = new FileStream(procs, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            file.Write(Encoding.ASCII.GetBytes(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot move the program into its cgroup {procs}: {e.Message}";
        }
    }

    /// <summary>Blocking read of program output; 0 at the end of output.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_pty is not null)
        {
            try
            {
                return _pty.Read(buffer);
            }
            catch (IOException)
            {
                return 0;
            }
            catch (PtyException)
            {
                return 0;
            }
        }
        var text = Interlocked.Exchange(ref _failureText, null);
        if (text is null)
            return 0;
        var n = Math.Min(text.Length, buffer.Length);
        text.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    /// <summary>Writes client input; false once the program can no longer take it.</summary>
    public bool Write(ReadOnlySpan<byte> data)
    {
        if (_pty is null || Exited.IsCompleted)
            return false;
        try
        {
            _pty.Write(data);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (PtyException)
        {
            return false;
        }
    }

    public void Resize(int cols, int rows)
    {
        try
        {
            _pty?.Resize(cols, rows);
        }
        catch (PtyException)
        {
            // The program is gone; the screen model still follows the size.
        }
    }

    /// <summary>Signals the terminal's foreground process group; false when there is none to signal.</summary>
    public bool SignalForeground(int signal)
    {
        try
        {
            return _pty is not null && !Exited.IsCompleted && _pty.SignalForeground(signal);
        }
        catch (PtyException)
        {
            return false;
        }
    }

    public void Dispose() => _pty?.Dispose();
}
