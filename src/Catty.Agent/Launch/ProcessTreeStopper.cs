namespace Catty.Agent.Launch;

/// <summary>
/// Ends the program's whole tree: SIGHUP and SIGTERM to every member, then SIGKILL to whatever is still
/// running after the grace. Bubblewrap's own processes are left out of the polite round: they exit by
/// themselves once the sandboxed program has, and killing them first would SIGKILL the sandbox
/// (--die-with-parent) before the program could clean up.
/// </summary>
internal static class ProcessTreeStopper
{
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillSettle = TimeSpan.FromSeconds(2);

    /// <summary>Returns how many processes needed SIGKILL.</summary>
    public static async Task<int> StopAsync(int rootPid, bool sandboxed, TimeSpan grace, TimeProvider time)
    {
        if (rootPid <= 0)
            return 0;
        var members = Collect(rootPid);
        var polite = members.Where(p => !p.IsZombie && !(sandboxed && p.Command == "bwrap")).ToList();
        if (polite.Count == 0)
            polite = [.. members.Where(p => !p.IsZombie)];
        foreach (var p in polite)
        {
            ProcessTree.Signal(p.Pid, SigHup);
            ProcessTree.Signal(p.Pid, SigTerm);
        }
        if (await WaitUntilGoneAsync(rootPid, grace, time))
            return 0;
        var survivors = Running(rootPid);
        foreach (var p in survivors)
            ProcessTree.Signal(p.Pid, SigKill);
        await WaitUntilGoneAsync(rootPid, KillSettle, time);
        return survivors.Count;
    }

    private static List<ProcessEntry> Collect(int rootPid)
    {
        var members = ProcessTree.Collect(rootPid, adoptedBy: Environment.ProcessId);
        ProcessTree.ReapAdopted(members, rootPid);
        return members;
    }

    private static List<ProcessEntry> Running(int rootPid) => [.. Collect(rootPid).Where(p => !p.IsZombie)];

    private static async Task<bool> WaitUntilGoneAsync(int rootPid, TimeSpan limit, TimeProvider time)
    {
        var deadline = time.GetTimestamp();
        while (true)
        {
            if (Running(rootPid).Count == 0)
                return true;
            if (time.GetElapsedTime(deadline) >= limit)
                return false;
            await Task.Delay(PollInterval, time);
        }
    }
}
