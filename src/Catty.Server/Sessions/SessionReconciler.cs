using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Storage;

namespace Catty.Server.Sessions;

/// <summary>
/// Brings a live session's record in line with its machine: a program that exited makes it
/// <c>agent_exited</c>, a machine that is gone makes it <c>machine_lost</c>, unless a session limit explains
/// either (<c>out_of_memory</c>); a running machine past its disk limit is stopped (<c>disk_full</c>).
/// </summary>
internal sealed class SessionReconciler(SessionRuntimes runtimes, SessionStopper stopper)
{
    /// <summary>The probe's result, or null when the session has no live machine to ask.</summary>
    public async Task<MachineProbe?> ReconcileAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        if (!session.IsLive() || session.Machine() is not { } machine)
        {
            return null;
        }

        var runtime = runtimes.Get(session.Runtime);
        var probe = await runtime.ProbeAsync(machine, cancellationToken);
        var limit = await runtime.LimitReachedAsync(machine, cancellationToken);
        switch (probe.Condition)
        {
            case MachineCondition.Exited:
                await stopper.StopAsync(session.Id, limit is null ? SessionEnd.AgentExited(probe.ExitCode) : SessionEnd.LimitReached(limit, probe.ExitCode));
                break;
            case MachineCondition.Lost:
                await stopper.StopAsync(session.Id, limit is null ? SessionEnd.MachineLost : SessionEnd.LimitReached(limit));
                break;
            case MachineCondition.Running when limit == StopReason.DiskFull:
                await stopper.StopAsync(session.Id, SessionEnd.LimitReached(limit));
                break;
        }

        return probe;
    }

    /// <summary>How a session whose program exited with <paramref name="exitCode"/> ends: a limit, when one was hit.</summary>
    public async Task<SessionEnd> EndOfExitAsync(SessionRecord session, int? exitCode, CancellationToken cancellationToken)
    {
        if (session.Machine() is { } machine && await runtimes.Get(session.Runtime).LimitReachedAsync(machine, cancellationToken) is { } limit)
        {
            return SessionEnd.LimitReached(limit, exitCode);
        }

        return SessionEnd.AgentExited(exitCode);
    }
}
