using System.Security.Cryptography;
using System.Text;
using Catty.Agent.Hosting;
using Catty.Agent.Launch;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Attention;

/// <summary>
/// Decides where the session's attention comes from and sets it up before the program starts: for a
/// program with hooks, its home is prepared, the hooks configured and the report socket bound, so the
/// first report (Claude Code's SessionStart) finds it listening. Anything that fails falls back to the
/// quiet-terminal rule, with the reason in the agent's log.
/// </summary>
internal static class AttentionSetup
{
    /// <summary>Unix socket paths are limited to 108 bytes, the terminating zero included.</summary>
    private const int MaxSocketPathBytes = 107;

    public static (AttentionTracker Tracker, HookListener? Listener, LaunchPlan? Plan) Start(
        AgentLaunchSpec spec, LaunchPlan? plan, AgentOptions options, TimeProvider time, AgentLog log)
    {
        var source = spec.Attention;
        if (!AttentionSource.IsKnown(source))
        {
            log.Warn($"unknown attention source \"{source}\"; the quiet-terminal rule applies");
            source = AttentionSource.Quiet;
        }
        if (source == AttentionSource.Quiet || plan is null)
            return (new AttentionTracker(AttentionSource.Quiet, options.AttentionQuietAfter, time), null, plan);

        var socketPath = Path.Combine(plan.HomeDirectory, HookInstaller.Folder, HookInstaller.SocketName);
        string? problem = Encoding.UTF8.GetByteCount(socketPath) > MaxSocketPathBytes
            ? $"the hook socket path {socketPath} is too long for a Unix socket"
            : null;
        if (problem is null)
        {
            try
            {
                RunningProgram.PrepareHome(plan);
                problem = HookInstaller.Install(source, plan.HomeDirectory, plan.Sandboxed ? ProgramEnvironment.SandboxHome : plan.HomeDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = "cannot configure the hooks: " + e.Message;
            }
        }
        if (problem is not null)
        {
            log.Warn(problem + "; the quiet-terminal rule applies");
            return (new AttentionTracker(AttentionSource.Quiet, options.AttentionQuietAfter, time), null, plan);
        }

        var tracker = new AttentionTracker(source, options.AttentionQuietAfter, time);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        try
        {
            var listener = HookListener.Start(socketPath, token, source, tracker, new ReportRate(options.HookBurst, options.HookReportsPerSecond, time), log);
            log.Info($"attention from {source} hooks, reported on {socketPath}");
            // Set over the session's own variables, so no secret can replace it.
            return (tracker, listener, plan.WithProgramVariable(HookInstaller.TokenVariable, token));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            tracker.Dispose();
            log.Warn($"cannot listen for hooks on {socketPath} ({e.Message}); the quiet-terminal rule applies");
            return (new AttentionTracker(AttentionSource.Quiet, options.AttentionQuietAfter, time), null, plan);
        }
    }
}
