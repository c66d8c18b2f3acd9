using Catty.Sdk.AgentControl;
using Catty.Server.Api;

namespace Catty.Server.Runtimes;

/// <summary>What a runtime needs to start one session machine; <see cref="Spec"/> carries the secrets and is never stored.</summary>
internal sealed record MachineLaunch(string MachineId, AgentLaunchSpec Spec);

/// <summary>How a started machine is found again; kept on the session record so it survives restarts.</summary>
internal sealed record MachineAddress(string MachineId, string AgentEndpoint, int? AgentPid);

/// <summary>What a probe found: the agent answers, its program has exited (code when known), or the machine is gone.</summary>
internal enum MachineCondition
{
    Running,
    Exited,
    Lost,
}

/// <summary>The outcome of <see cref="ISessionRuntime.ProbeAsync"/>.</summary>
internal sealed record MachineProbe(MachineCondition Condition, AgentStatus? Status = null, int? ExitCode = null);

/// <summary>
/// Creates, finds again and destroys session machines. Every machine runs catty-agent; once started, the
/// control plane talks to it through <see cref="AgentClient"/> whatever the runtime. Implementations:
/// <c>local</c> (a detached process per session on this host); Kubernetes comes later.
/// </summary>
internal interface ISessionRuntime
{
    /// <summary>The name regions refer to (e.g. <c>local</c>).</summary>
    string Name { get; }

    /// <summary>Starts a machine and returns once its agent accepts connections, or the reason it did not.</summary>
    Task<Outcome<MachineAddress>> StartAsync(MachineLaunch launch, CancellationToken cancellationToken);

    /// <summary>Asks the machine how it is, falling back on what it left behind when it does not answer.</summary>
    Task<MachineProbe> ProbeAsync(MachineAddress machine, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the machine: the agent ends the program's whole process tree and exits; whatever is left is killed.
    /// Returns the agent's last status when it answered.
    /// </summary>
    Task<AgentStatus?> DestroyAsync(MachineAddress machine, string reason, CancellationToken cancellationToken);

    /// <summary>The terminal output a destroyed machine left (empty when none).</summary>
    Task<byte[]> ReadFinalOutputAsync(MachineAddress machine, CancellationToken cancellationToken);

    /// <summary>
    /// The session limit the machine ran into (<c>out_of_memory</c>, <c>disk_full</c>), asked when its program
    /// exits, when it is lost and on each scheduler tick; null when none (or the runtime cannot tell).
    /// </summary>
    Task<string?> LimitReachedAsync(MachineAddress machine, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Tells the runtime whether a person is attached to the machine's terminal, so that an attended machine's program
    /// and agent win the CPU from busy machines nobody watches (which still get every cycle no one else wants).
    /// Runtimes without such a control ignore it.
    /// </summary>
    void SetAttended(MachineAddress machine, bool attended)
    {
    }

    /// <summary>Removes all that a destroyed machine left behind (state, workspace).</summary>
    Task DeleteAsync(MachineAddress machine, CancellationToken cancellationToken);
}
