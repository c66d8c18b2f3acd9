using System.Diagnostics;
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
    /// CLOEXEC, but a pipe from whoever started the server would otherwise live as long as the session),
    /// points stdout/stderr at /dev/null and becomes <c>setsid</c>, which (not being a group leader) calls
    /// setsid() and becomes the agent: the pid Process.Start returns is the agent's.
    /// </summary>
    private const string Launcher = """
        for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi; done 2>/dev/null
        exec setsid "$@" >/dev/null 2>&1
        """;

    public static ProcessStartInfo StartInfo(string agentPath, string listen, LocalMachine machine)
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
