using System.Text.Json;
using Catty.Server.Runtimes.Local.Cgroups;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.Extensions.Options;

namespace Catty.Server.Runtimes.Local;

/// <summary>
/// Who runs each local session on this host and with which limits. A root server gives every machine its own
/// unprivileged uid from <c>SessionUidBase</c> (never one still in use) and a cgroup under its own; an unprivileged
/// server runs agents as itself and uses cgroups only when they were delegated to it.
/// </summary>
internal sealed class SessionHost
{
    /// <summary>Where machine folders go when the server switches uids and the data dir cannot be reached by them.</summary>
    public const string SharedRoot = "/var/lib/catty";

    private const UnixFileMode PassThrough = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly LocalRuntimeOptions _options;
    private readonly SessionLimitsOptions _limits;
    private readonly ILogger<SessionHost> _logger;
    private readonly Lock _gate = new();
    private bool _prepared;
    private int _cursor;

    /// <summary>
    /// Uids handed out by any server in this process and not yet released: another server with its own data
    /// directory (tests run several) must not pick one whose agent has not started yet.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> Claimed = new();

    public SessionHost(DataDirectory data, IOptions<LocalRuntimeOptions> options, IOptions<SessionLimitsOptions> limits, ILogger<SessionHost> logger)
    {
        _options = options.Value;
        _limits = limits.Value;
        _logger = logger;
        (ServerUid, ServerGid) = HostCalls.Identity();
        SwitchesUsers = ServerUid == 0 && _options.SessionUidCount > 0;
        Root = ResolveRoot(data.Root, _options, SwitchesUsers);
    }

    public int ServerUid { get; }

    public int ServerGid { get; }

    /// <summary>Whether each machine runs as its own uid (the server is root and SessionUidCount is not 0).</summary>
    public bool SwitchesUsers { get; }

    /// <summary>The folder holding <c>machines/</c> and <c>workspaces/</c>.</summary>
    public string Root { get; }

    /// <summary>Where session cgroups go, or null when they cannot be made (see <see cref="CgroupProblem"/>).</summary>
    public CgroupHost? Cgroups { get; private set; }

    public string? CgroupProblem { get; private set; }

    public SessionLimitsOptions Limits => _limits;

    public LocalMachine Machine(string machineId) => LocalMachine.For(Root, machineId);

    /// <summary>The machines root: configured, else the data dir, unless session uids could not reach it (then <see cref="SharedRoot"/>).</summary>
    public static string ResolveRoot(string dataRoot, LocalRuntimeOptions options, bool switchesUsers) =>
        !string.IsNullOrWhiteSpace(options.MachinesDir) ? DataDirectory.Resolve(options.MachinesDir)
        : !switchesUsers || UnreachableAncestor(dataRoot) is null ? dataRoot
        : SharedRoot;

    /// <summary>The first folder above <paramref name="path"/> that others cannot pass through, or null.</summary>
    public static string? UnreachableAncestor(string path)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                return dir;
            }
        }

        return null;
    }

    /// <summary>
    /// Creates the machines root and finds the cgroups, once; a message when the layout cannot work (a root no
    /// session uid can reach, an agent it cannot run). Missing cgroups are not an error: the summary says so.
    /// </summary>
    public string? Prepare(string agentPath)
    {
        lock (_gate)
        {
            if (SwitchesUsers)
            {
                if (UnreachableAncestor(Root) is { } closed)
                {
                    return $"Session machines live in '{Root}', but {closed} cannot be passed through by other users, and each session runs as its own uid. "
                        + "Set Catty:Runtimes:Local:MachinesDir to a folder whose parents are traversable (e.g. /var/lib/catty).";
                }

                var hidden = UnreachableAncestor(agentPath);
                if (hidden is not null || (File.Exists(agentPath) && (File.GetUnixFileMode(agentPath) & UnixFileMode.OtherRead) == 0))
                {
                    return $"catty-agent at '{agentPath}' cannot be read by session uids{(hidden is null ? "" : $" ({hidden} is closed to others)")}; "
                        + "install the server where other users can read it, or set Catty:Runtimes:Local:AgentPath.";
                }

                // Traversable but not listable: a session's uid reaches its own folders by name and sees no other.
                foreach (var dir in new[] { Root, Path.Combine(Root, "machines"), Path.Combine(Root, "workspaces") })
                {
                    Directory.CreateDirectory(dir, PassThrough);
                    File.SetUnixFileMode(dir, PassThrough);
                }
            }
            else
            {
                foreach (var dir in new[] { Path.Combine(Root, "machines"), Path.Combine(Root, "workspaces") })
                {
                    DataDirectory.CreatePrivateDirectory(dir);
                }
            }

            if (!_prepared)
            {
                _prepared = true;
                FindCgroups();
            }

            return null;
        }
    }

    /// <summary>Picks the machine's uid, makes its cgroup and records both; null and the reason when it cannot.</summary>
    public MachineHost? Allocate(string machineId, out string? error)
    {
        int uid, gid;
        lock (_gate)
        {
            if (SwitchesUsers)
            {
                if (FreeUid() is not { } free)
                {
                    error = $"all {_options.SessionUidCount} session uids ({_options.SessionUidBase}–{_options.SessionUidBase + _options.SessionUidCount - 1}) are in use";
                    return null;
                }

                (uid, gid) = (free, free);
            }
            else
            {
                (uid, gid) = (ServerUid, ServerGid);
            }

            SessionCgroup? cgroup = null;
            if (Cgroups is not null)
            {
                cgroup = Cgroups.Create("catty-" + machineId, CgroupLimits(), out var cgroupError);
                if (cgroup is null)
                {
                    error = $"the session's cgroup could not be made: {cgroupError}";
                    return null;
                }
            }

            var host = new MachineHost(uid, gid, cgroup);
            var record = RecordPath(machineId);
            var temporary = record + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(host, MachineHostJson.Default.MachineHost));
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temporary, record, overwrite: true);
            error = null;
            return host;
        }
    }

    /// <summary>Gives the machine's folders to its uid (state dir and workspace; what the agent makes inside follows).</summary>
    public string? GiveFolders(LocalMachine machine, MachineHost host)
    {
        if (!SwitchesUsers)
        {
            return null;
        }

        foreach (var dir in new[] { machine.StateDir, machine.Workspace })
        {
            if (!HostCalls.Chown(dir, host.Uid, host.Gid))
            {
                return $"cannot give {dir} to uid {host.Uid}";
            }
        }

        // The agent moves its sandbox into the program's group. v2 also asks for write access to the common
        // ancestor's cgroup.procs; that group hands pids down, so the kernel keeps every process out of it.
        if (host.Cgroup is { ProgramProcsFile: { } programProcs } cgroup)
        {
            var files = cgroup.Version == 2 ? new[] { programProcs, Path.Combine(cgroup.PidsDir, "cgroup.procs") } : [programProcs];
            foreach (var file in files)
            {
                if (!HostCalls.Chown(file, host.Uid, host.Gid))
                {
                    return $"cannot give {file} to uid {host.Uid}";
                }
            }
        }

        return null;
    }

    public MachineHost? Read(string machineId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath(machineId)), MachineHostJson.Default.MachineHost);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// After the agent is gone: kills whatever is left in the machine's cgroup, removes it, takes the folders back
    /// from the uid (so a later machine given the same uid cannot reach them) and frees the uid.
    /// </summary>
    public void Release(LocalMachine machine, string machineId)
    {
        var host = Read(machineId);
        if (host?.Cgroup is { } cgroup)
        {
            if (!cgroup.KillAll(TimeSpan.FromSeconds(5)))
            {
                _logger.LogWarning("Machine {MachineId}: processes {Pids} survive SIGKILL in its cgroup", machineId, string.Join(' ', cgroup.Processes()));
            }

            // The kernel removes a group only once its last process is reaped, a moment after the kill.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!cgroup.Remove() && clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(10);
            }

            if (cgroup.Dirs.Any(Directory.Exists))
            {
                _logger.LogWarning("Machine {MachineId}: its cgroup {Dir} could not be removed", machineId, cgroup.MemoryDir);
            }
        }

        if (host is not null && SwitchesUsers)
        {
            foreach (var dir in new[] { machine.StateDir, machine.Workspace })
            {
                if (Directory.Exists(dir) && !(HostCalls.Chown(dir, ServerUid, ServerGid) && SetMode(dir, OwnerOnly)))
                {
                    _logger.LogWarning("Machine {MachineId}: could not take {Dir} back from uid {Uid}", machineId, dir, host.Uid);
                }
            }
        }

        File.Delete(RecordPath(machineId));
        if (host is not null)
        {
            Claimed.TryRemove(host.Uid, out _);
        }
    }

    /// <summary>The limits in force, for the start-up summary.</summary>
    public string Summary()
    {
        var who = SwitchesUsers
            ? $"each session runs as its own uid ({_options.SessionUidBase}–{_options.SessionUidBase + _options.SessionUidCount - 1}), machines in {Root}"
            : $"sessions run as this server's uid {ServerUid}{(ServerUid == 0 ? " (Catty:Runtimes:Local:SessionUidCount is 0)" : "")}, machines in {Root}";
        var how = Cgroups is not null
            ? $"enforced by {Cgroups.Where}"
            : $"cgroups NOT available ({CgroupProblem}): memory, processes and CPU are not limited; only single files are capped at DiskMb (RLIMIT_FSIZE)"
                + (SwitchesUsers && _limits.Pids > 0 ? " and processes per session at Pids (RLIMIT_NPROC)" : "");
        return $"Sessions: {who}.\n  Limits per session: {_limits.Describe()}; {how}.";
    }

    /// <summary>
    /// A new session starts at the plain CPU weight: whoever creates one usually attaches at once, and its start should
    /// not wait behind busy sessions. <see cref="LocalRuntime.SetAttended"/> lowers it when its last client leaves.
    /// </summary>
    public CgroupLimits CgroupLimits() =>
        new((long)_limits.MemoryMb * 1024 * 1024, _limits.Pids, _limits.CpuPercent);

    private string RecordPath(string machineId) => Path.Combine(Root, "machines", machineId + ".host.json");

    private void FindCgroups()
    {
        var found = CgroupDetection.Detect(out var why);
        if (found is null)
        {
            CgroupProblem = why;
            return;
        }

        if (found.Prepare() is { } unprepared)
        {
            CgroupProblem = unprepared;
            return;
        }

        // Writable? A server without delegation sees the hierarchy but cannot create in it.
        var probe = found.Create($"catty-probe-{Environment.ProcessId}-{Guid.NewGuid():N}", new CgroupLimits(0, 0, 0), out var error);
        if (probe is null)
        {
            CgroupProblem = $"not writable: {error}";
            return;
        }

        probe.Remove();
        Cgroups = found;
    }

    /// <summary>The next uid of the range that no machine record holds and no process runs as.</summary>
    private int? FreeUid()
    {
        var used = new HashSet<int>();
        foreach (var record in Directory.EnumerateFiles(Path.Combine(Root, "machines"), "*.host.json"))
        {
            if (Read(Path.GetFileName(record)[..^".host.json".Length]) is { } host)
            {
                used.Add(host.Uid);
            }
        }

        foreach (var uid in ProcessUids())
        {
            used.Add(uid);
        }

        for (var i = 0; i < _options.SessionUidCount; i++)
        {
            var offset = (_cursor + i) % _options.SessionUidCount;
            var uid = _options.SessionUidBase + offset;
            if (!used.Contains(uid) && Claimed.TryAdd(uid, 0))
            {
                _cursor = offset + 1;
                return uid;
            }
        }

        return null;
    }

    private static IEnumerable<int> ProcessUids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            int? uid = null;
            try
            {
                var line = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (line is not null)
                {
                    uid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }

            if (uid is { } found)
            {
                yield return found;
            }
        }
    }

    private static bool SetMode(string dir, UnixFileMode mode)
    {
        try
        {
            File.SetUnixFileMode(dir, mode);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
