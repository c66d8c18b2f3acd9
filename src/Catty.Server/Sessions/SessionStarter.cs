using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.CodingAgents;
using Catty.Server.Regions;
using Catty.Server.Runtimes;
using Catty.Server.Runtimes.Local;
using Catty.Server.Scheduling;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary>Turns a <see cref="CreateSessionRequest"/> into a running session, or into the error that explains why not.</summary>
internal sealed class SessionStarter(
    CattyDbContext db,
    RegionCatalog regions,
    CodingAgentCatalog agents,
    SessionRuntimes runtimes,
    SessionWatchers watchers,
    IOptions<SessionOptions> options,
    IOptions<SessionNetworkOptions> network,
    StorageQuota quota,
    TimeProvider time,
    ILogger<SessionStarter> logger)
{
    private const int LabelAttempts = 20;

    /// <summary>Counting this host's sessions and inserting one is a single step, so two creates cannot both take the last place.</summary>
    private static readonly SemaphoreSlim HostPlaces = new(1, 1);

    public async Task<Outcome<SessionRecord>> CreateAsync(CurrentUser user, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        if (regions.Find(request.Region) is not { } region)
        {
            return Errors.BadRequest("invalid_region", $"Unknown region '{request.Region}'; available: {string.Join(", ", regions.All.Select(r => r.Id))}.");
        }

        if (quota.Enabled && quota.Check(await StorageQuota.UsageAsync(db, user.Id, null, cancellationToken), 0, "a new session") is { } full)
        {
            return full;
        }

        var agent = agents.Resolve(request.Agent, request.Cmd);
        if (agent.Failed)
        {
            return agent.Error;
        }

        var limits = options.Value;
        var ttl = request.TtlSec is { } ttlSec ? TimeSpan.FromSeconds(ttlSec) : limits.DefaultTtl;
        if (ttl < limits.MinTtl || ttl > limits.MaxTtl)
        {
            return Errors.BadRequest("invalid_ttl", $"ttl_sec must be between {limits.MinTtl.TotalSeconds:0} and {limits.MaxTtl.TotalSeconds:0} seconds.");
        }

        if (SessionSecrets.Check(request.Secrets, limits.MaxSecrets) is { } badSecret)
        {
            return badSecret;
        }

        var live = await db.Sessions.CountAsync(s => s.OwnerId == user.Id && (s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting), cancellationToken);
        if (limits.MaxRunningPerUser > 0 && live >= limits.MaxRunningPerUser)
        {
            return Errors.QuotaExceeded($"You already have {live} running {(live == 1 ? "session" : "sessions")} (your limit is {limits.MaxRunningPerUser}); stop one first.");
        }

        SessionRecord session;
        await HostPlaces.WaitAsync(cancellationToken);
        try
        {
            if (region.Runtime == LocalRuntime.RuntimeName && limits.MaxRunningPerHost > 0)
            {
                var onHost = await db.Sessions.CountAsync(
                    s => s.Runtime == LocalRuntime.RuntimeName && (s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting), cancellationToken);
                if (onHost >= limits.MaxRunningPerHost)
                {
                    logger.LogWarning("Session refused: this host already runs {Count} sessions (MaxRunningPerHost {Max})", onHost, limits.MaxRunningPerHost);
                    return Errors.TooMany("host_full",
                        $"This host already runs {onHost} sessions, as many as it takes (Catty:Sessions:MaxRunningPerHost); try again once one has stopped.");
                }
            }

            session = await InsertAsync(user, agent.Value.Name, region.Id, region.Runtime, ttl, cancellationToken);
        }
        finally
        {
            HostPlaces.Release();
        }

        // From here the session exists: finish starting it even if the client goes away.
        var spec = new AgentLaunchSpec(session.Id, session.Label, agent.Value.Argv, new Dictionary<string, string>(request.Secrets ?? new Dictionary<string, string>()))
        {
            ReadOnlyPaths = agent.Value.ReadOnlyPaths,
            HomeTemplate = agent.Value.HomeTemplate,
            Attention = agent.Value.Attention,
            Network = network.Value.ToSpec(),
        };
        var started = await runtimes.Get(region.Runtime).StartAsync(new MachineLaunch(session.MachineId, spec), CancellationToken.None);
        if (started.Failed)
        {
            var now = time.GetUtcNow();
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SessionStatus.Failed)
                .SetProperty(s => s.MachineState, MachineState.Destroyed)
                .SetProperty(s => s.StoppedAt, now), CancellationToken.None);
            return started.Error;
        }

        var machine = started.Value;
        var claimed = await db.Sessions
            .Where(s => s.Id == session.Id && s.Status == SessionStatus.Starting)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SessionStatus.Running)
                .SetProperty(s => s.MachineState, MachineState.Started)
                .SetProperty(s => s.AgentEndpoint, machine.AgentEndpoint)
                .SetProperty(s => s.AgentPid, machine.AgentPid), CancellationToken.None);
        if (claimed == 0)
        {
            // Stopped (e.g. deleted by its owner) while its machine was starting: the machine must not outlive it.
            await runtimes.Get(region.Runtime).DestroyAsync(machine, StopReason.User, CancellationToken.None);
            return Errors.Conflict("session_not_running", $"Session {session.Label} was stopped while it started.");
        }

        (session.Status, session.MachineState, session.AgentEndpoint, session.AgentPid) =
            (SessionStatus.Running, MachineState.Started, machine.AgentEndpoint, machine.AgentPid);
        watchers.Watch(session.Id, machine.AgentEndpoint);
        logger.LogInformation("Session {Label} ({SessionId}) running: agent {Agent}, region {Region}, machine {MachineId}",
            session.Label, session.Id, session.Agent, session.Region, session.MachineId);
        return session;
    }

    private async Task<SessionRecord> InsertAsync(CurrentUser user, string agent, string region, string runtime, TimeSpan ttl, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < LabelAttempts; attempt++)
        {
            var label = SessionLabels.Next();
            var machineId = SessionLabels.NextMachineId();
            if (await db.Sessions.AnyAsync(s => s.Label == label || s.MachineId == machineId, cancellationToken))
            {
                continue;
            }

            var now = time.GetUtcNow();
            var session = new SessionRecord
            {
                Id = Guid.NewGuid(),
                Label = label,
                OwnerId = user.Id,
                Agent = agent,
                Region = region,
                Runtime = runtime,
                Status = SessionStatus.Starting,
                MachineState = MachineState.Stopped,
                MachineId = machineId,
                CreatedAt = now,
                ExpiresAt = now + ttl,
                TtlSec = (int)ttl.TotalSeconds,
            };
            db.Sessions.Add(session);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return session;
            }
            catch (DbUpdateException)
            {
                // Another request took the label a moment ago; draw again.
                db.Entry(session).State = EntityState.Detached;
            }
        }

        throw new InvalidOperationException($"No free session label after {LabelAttempts} attempts.");
    }
}
