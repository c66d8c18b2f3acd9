using System.Net.Sockets;
using System.Runtime.InteropServices;
using Catty.Agent.Attention;
using Catty.Agent.Hosting;
using Catty.Agent.Launch;
using Catty.Agent.Terminal;

// PTYs, /proc and bubblewrap: the agent is a Linux program.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Catty.Agent;

/// <summary>
/// catty-agent: one session's program in a PTY, served over HTTP/WebSocket on a Unix socket or TCP.
/// Started detached by the control plane, which writes the launch spec to our stdin; see docs/design/0300.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var commandLine = AgentCommandLine.Parse(args, out var usageError);
        if (commandLine is null)
        {
            TryTellOperator($"catty-agent: {usageError}\n{AgentCommandLine.Usage}");
            return 2;
        }
        var time = TimeProvider.System;
        var files = new StateFiles(commandLine.StateDir);
        try
        {
            files.Prepare();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryTellOperator($"catty-agent: cannot use the state dir {commandLine.StateDir}: {e.Message}");
            return 2;
        }
        using var log = AgentLog.Open(files.AgentLog, time);
        log.Info($"catty-agent starting, pid {Environment.ProcessId}");
        AppDomain.CurrentDomain.UnhandledException += (_, e) => log.Error("unhandled: " + e.ExceptionObject);

        var spec = LaunchSpecReader.Read(Console.OpenStandardInput(), out var specError);
        StandardStreams.Detach();
        if (spec is null)
        {
            log.Error(specError!);
            return 2;
        }
        log.Info($"session {spec.Label} ({spec.SessionId}), argv[0] {spec.Argv[0]}, {spec.Env.Count} env var(s), sandbox {spec.Sandbox}");

        using var _ = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);
        // Daemons the program starts (double fork, setsid) are re-parented to us, so stop can find them.
        if (!ProcessTree.BecomeSubreaper())
            log.Warn("cannot become a child subreaper; daemonized processes may outlive a stop");
        Socket listener;
        string bound;
        try
        {
            (listener, bound) = commandLine.Listen.BindAndListen();
            files.WriteAgentJson(Environment.ProcessId, bound);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            log.Error("cannot listen: " + e.Message);
            return 2;
        }

        var plan = LaunchPlan.Create(spec, commandLine.Workspace, commandLine.StateDir, out var planError);
        var (attention, hooks, hookedPlan) = AttentionSetup.Start(spec, plan, commandLine.Options, time, log);
        plan = hookedPlan;
        using var attentionTracker = attention;
        using var hookListener = hooks;
        var session = new TerminalSession(plan?.Sandboxed ?? false, commandLine.Workspace, spec.Cols, spec.Rows, commandLine.Options, time, log, attention);
        var host = new AgentHost(commandLine, spec, files, session, log, time);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            host.RequestShutdown("SIGTERM");
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            host.RequestShutdown("SIGINT");
        });
        // Serving starts now (status, upload, connect); the program waits for its start to be asked for.
        var serving = host.RunAsync(listener, bound);
        Task.WhenAny(host.StartRequested, serving).GetAwaiter().GetResult();
        if (!host.StartRequested.IsCompleted)
            return serving.GetAwaiter().GetResult();

        // Spawned on the main thread, which lives until the agent ends (bwrap's --die-with-parent).
        using var program = plan is null ? RunningProgram.Failed(planError!, sandboxed: false) : RunningProgram.Start(plan);
        log.Info(program.Started
            ? $"program started, pid {program.Pid}, sandboxed {program.Sandboxed}"
                + (program.NetworkSetup is { } setup ? $", network ready in {setup.TotalMilliseconds:0} ms ({program.NetworkPhases})" : "")
            : "program could not start");
        session.Launch(program);
        return serving.GetAwaiter().GetResult();
    }

    private static void TryTellOperator(string message)
    {
        try
        {
            Console.Error.WriteLine(message);
        }
        catch (IOException)
        {
            // Nobody is listening; the exit code says it.
        }
    }
}
