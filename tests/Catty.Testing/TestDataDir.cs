using System.Diagnostics;

namespace Catty.Testing;

/// <summary>
/// A short temporary data directory (agent socket paths must stay under 108 bytes). Disposing it kills
/// every agent that was started under it (found by its command line) and deletes the directory.
/// </summary>
public sealed class TestDataDir : IDisposable
{
    public TestDataDir()
    {
        Path = System.IO.Path.Combine("/tmp", "cty-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string MachinesDir => System.IO.Path.Combine(Path, "machines");

    public string StateDirOf(string machineId) => System.IO.Path.Combine(MachinesDir, machineId);

    /// <summary>
    /// The pid of the machine's agent, found by its command line (which names the state dir): agent.json
    /// may not be written yet when the agent already accepts connections.
    /// </summary>
    public int? AgentPidOf(string machineId)
    {
        var marker = "--state-dir\0" + StateDirOf(machineId) + "\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(dir), out var pid) && IsAgent(pid, marker))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>Whether the agent of <paramref name="machineId"/> is still a live process.</summary>
    public bool AgentAlive(string machineId) => AgentPidOf(machineId) is not null;

    /// <summary>The agent's process group and session ids (from /proc), to check it runs detached.</summary>
    public (int Pid, int ProcessGroup, int Session) AgentIdentity(string machineId)
    {
        var pid = AgentPidOf(machineId) ?? throw new InvalidOperationException($"No agent runs for {machineId}.");
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (pid, int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILLs the agent of a machine (and everything under it), as a crash would.</summary>
    public void KillAgent(string machineId)
    {
        var pid = AgentPidOf(machineId) ?? throw new InvalidOperationException($"No agent runs for {machineId}.");
        KillTree(pid);
    }

    /// <summary>The path of a machine's host record (its uid and cgroup), there while the machine is not destroyed.</summary>
    public string HostRecordOf(string machineId) => System.IO.Path.Combine(MachinesDir, machineId + ".host.json");

    public void Dispose()
    {
        if (Directory.Exists(MachinesDir))
        {
            foreach (var dir in Directory.EnumerateDirectories(MachinesDir))
            {
                if (AgentPidOf(System.IO.Path.GetFileName(dir)) is { } pid)
                {
                    KillTree(pid);
                }
            }

            // Machines a test left running (the server was killed, or not stopped): their cgroups outlive the folder.
            foreach (var record in Directory.EnumerateFiles(MachinesDir, "*.host.json"))
            {
                RemoveCgroups(record);
            }
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just killed may still be closing files; the directory is temporary anyway.
        }
    }

    /// <summary>
    /// Kills what is left in the cgroup folders a host record names (programDir and agentDir, the children, then memoryDir,
    /// pidsDir, cpuDir), then removes them, children first: a group with a child cannot be removed.
    /// </summary>
    private static void RemoveCgroups(string record)
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(record));
        if (!json.RootElement.TryGetProperty("cgroup", out var cgroup) || cgroup.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return;
        }

        var dirs = new[] { "programDir", "agentDir", "memoryDir", "pidsDir", "cpuDir" }
            .Select(n => cgroup.TryGetProperty(n, out var dir) && dir.ValueKind == System.Text.Json.JsonValueKind.String ? dir.GetString() : null)
            .OfType<string>().Distinct().ToList();
        var clock = Stopwatch.StartNew();
        while (dirs.Any(Directory.Exists) && clock.Elapsed < Deadline.Default)
        {
            foreach (var dir in dirs.Where(Directory.Exists))
            {
                foreach (var line in File.ReadAllLines(System.IO.Path.Combine(dir, "cgroup.procs")))
                {
                    KillTree(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
                }

                try
                {
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                    // Busy until the last process is reaped.
                }
            }
        }
    }

    private static void KillTree(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }

        if (!ProcessExit.WaitFor(pid, Deadline.Default))
        {
            throw new TimeoutException($"Agent {pid} did not die after SIGKILL.");
        }
    }

    private static bool IsAgent(int pid, string marker)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X')
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains(marker, StringComparison.Ordinal)
                && !File.ReadAllText($"/proc/{pid}/comm").StartsWith("bash", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
