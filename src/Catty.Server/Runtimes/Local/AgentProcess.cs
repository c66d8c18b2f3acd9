using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Starts catty-agent detached from the server: in its own session and process group (so the server's
/// terminal Ctrl-C and the server's death do not reach it), with output going nowhere the server owns,
/// a minimal environment (no server secrets), and the launch spec written to its stdin.
/// </summary>
internal static class AgentProcess
{
    /// <summary>
    /// The shell closes every descriptor the server inherited from its own parent (.NET opens its own with
    /// CLOEXEC, but a pipe from whoever started the server would otherwise live as long as the session), joins the
    /// session's cgroups while it is still root (so the agent and everything below it are counted from their first
    /// instruction), sets the rlimits, drops to the session's uid with no groups and no capabilities, points
    /// stdout/stderr at /dev/null and becomes <c>setsid</c>, which (not being a group leader) calls setsid() and
    /// becomes the agent: every step execs, so the pid Process.Start returns is the agent's.
    /// Arguments: the number of cgroup.procs files, the files, the file-size limit in KiB, the process limit, the uid
    /// and the gid ("-" for none), then the agent's command line.
    /// </summary>
    private const string Launcher = """
        for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi; done 2>/dev/null
        n=$1; shift
        while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 90; shift; n=$((n - 1)); done
        if [ "$1" != - ]; then ulimit -f "$1" || exit 91; fi; shift
        if [ "$1" != - ]; then ulimit -u "$1" || exit 91; fi; shift
        if [ "$1" = - ]; then shift 2; exec setsid "$@" >/dev/null 2>&1; fi
        uid=$1 gid=$2; shift 2
        exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --bounding-set=-all -- setsid "$@" >/dev/null 2>&1
        """;

    /// <summary>Exit codes of the launcher itself, before the agent runs.</summary>
    public static string? LauncherFailure(int exitCode) => exitCode switch
    {
        90 => "it could not join the session's cgroup",
        91 => "its resource limits could not be set",
        126 or 127 => "setpriv or setsid could not be run",
        _ => null,
    };

    public static ProcessStartInfo StartInfo(string agentPath, string listen, LocalMachine machine, AgentIdentity identity)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            WorkingDirectory = machine.StateDir,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Launcher);
        start.ArgumentList.Add("catty-agent-launcher");
        start.ArgumentList.Add(identity.CgroupProcs.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var procs in identity.CgroupProcs)
        {
            start.ArgumentList.Add(procs);
        }

        start.ArgumentList.Add(identity.FileSizeKib is { } kib ? kib.ToString(CultureInfo.InvariantCulture) : "-");
        start.ArgumentList.Add(identity.Processes is { } processes ? processes.ToString(CultureInfo.InvariantCulture) : "-");
        start.ArgumentList.Add(identity.Uid is { } uid ? uid.ToString(CultureInfo.InvariantCulture) : "-");
        start.ArgumentList.Add(identity.Gid is { } gid ? gid.ToString(CultureInfo.InvariantCulture) : "-");
        if (agentPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(DotnetHost());
        }

        start.ArgumentList.Add(agentPath);
        foreach (var argument in new[] { "--listen", listen, "--workspace", machine.Workspace, "--state-dir", machine.StateDir })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["PATH"] ??= "/usr/local/bin:/usr/bin:/bin";
        if (identity.Uid is not null)
        {
            // Root's HOME and name mean nothing to the session's uid; its state dir is its own.
            start.Environment["HOME"] = machine.StateDir;
            start.Environment.Remove("USER");
            start.Environment.Remove("LOGNAME");
        }

        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        // One idle agent per session: no diagnostics IPC socket per process, small GC heaps.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_GCgen0size"] = "0x400000";
        return start;
    }

    /// <summary>The agent next to the server: the Native AOT build in aot/, else the apphost, else the .dll.</summary>
    public static string DefaultPath()
    {
        var aot = Path.Combine(AppContext.BaseDirectory, "aot", "catty-agent");
        if (File.Exists(aot))
        {
            return aot;
        }

        var apphost = Path.Combine(AppContext.BaseDirectory, "catty-agent");
        return File.Exists(apphost) ? apphost : Path.Combine(AppContext.BaseDirectory, "catty-agent.dll");
    }

    /// <summary>The runtime this server runs on, so an apphost agent finds the same one.</summary>
    private static string DotnetRoot() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
            ? root
            : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private static string DotnetHost()
    {
        var host = Path.Combine(DotnetRoot(), "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}

/// <summary>How the launcher sets up the agent: cgroups to join, rlimits, and the uid/gid to become (null: stay).</summary>
internal sealed record AgentIdentity(IReadOnlyList<string> CgroupProcs, long? FileSizeKib, int? Processes, int? Uid, int? Gid);
