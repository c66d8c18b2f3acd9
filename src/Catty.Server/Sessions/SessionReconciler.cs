using Catty.Server.Runtimes;
using Catty.Server.Storage;

namespace Catty.Server.Sessions;

/// <summary>
/// Brings a live session's record in line with its machine: a program that exited makes it
/// <c>agent_exited</c>, a machine that is gone makes it <c>machine_lost</c>.
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

        var probe = await runtimes.Get(session.Runtime).ProbeAsync(machine, cancellationToken);
        switch (probe.Condition)
        {
            case MachineCondition.Exited:
                await stopper.StopAsync(session.Id, SessionEnd.AgentExited(probe.ExitCode));
                break;
            case MachineCondition.Lost:
                await stopper.StopAsync(session.Id, SessionEnd.MachineLost);
                break;
        }

        return probe;
    }
}
