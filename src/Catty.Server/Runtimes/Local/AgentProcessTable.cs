using System.Diagnostics;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Finds local agents by pid without trusting a pid alone: after a restart the pid on record may have been
/// reused, so a process counts as the machine's agent only if its command line names the machine's state dir.
/// </summary>
internal static class AgentProcessTable
{
    public static bool IsAlive(int? pid, LocalMachine machine)
    {
        if (pid is not > 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            if (state is 'Z' or 'X')
            {
                return false;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(machine.StateDir + "\0", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Kills the agent and every process below it, if it is still the machine's agent.</summary>
    public static void KillTree(int? pid, LocalMachine machine)
    {
        if (!IsAlive(pid, machine))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid!.Value);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone in the meantime.
        }
    }
}
