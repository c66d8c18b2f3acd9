namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>Finds the server's own cgroups from /proc/self/mountinfo and /proc/self/cgroup.</summary>
internal static class CgroupDetection
{
    private static readonly string[] Needed = ["memory", "pids", "cpu"];

    public static CgroupHost? Detect(out string why)
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/mountinfo"), File.ReadAllText("/proc/self/cgroup"), out why);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            why = $"cannot read /proc/self: {ex.Message}";
            return null;
        }
    }

    /// <summary>v1 when memory, pids and cpu each have a v1 hierarchy; else v2 when the unified tree offers them.</summary>
    internal static CgroupHost? Parse(string mountInfo, string selfCgroup, out string why, Func<string, string?>? readFile = null)
    {
        readFile ??= CgroupFiles.Read;
        var mounts = new List<(string Root, string Point, string Type, string[] Options)>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = line.IndexOf(" - ", StringComparison.Ordinal);
            if (split < 0)
            {
                continue;
            }

            var left = line[..split].Split(' ');
            var right = line[(split + 3)..].Split(' ');
            if (left.Length >= 5 && right.Length >= 3 && right[0] is "cgroup" or "cgroup2")
            {
                mounts.Add((Unescape(left[3]), Unescape(left[4]), right[0], right[2].Split(',')));
            }
        }

        var memberships = selfCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 3))
            .Where(p => p.Length == 3)
            .Select(p => (Controllers: p[1].Split(',', StringSplitOptions.RemoveEmptyEntries), Path: p[2]))
            .ToList();

        var v1 = new Dictionary<string, string>();
        foreach (var controller in Needed)
        {
            var mount = mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller));
            var member = memberships.FirstOrDefault(m => m.Controllers.Contains(controller));
            if (mount.Point is not null && member.Path is not null)
            {
                v1[controller] = Join(mount.Point, mount.Root, member.Path);
            }
        }

        if (v1.Count == Needed.Length)
        {
            why = "";
            return new CgroupV1(v1["memory"], v1["pids"], v1["cpu"]);
        }

        var unified = mounts.FirstOrDefault(m => m.Type == "cgroup2");
        var own = memberships.FirstOrDefault(m => m.Controllers.Length == 0);
        if (unified.Point is null || own.Path is null)
        {
            why = "no cgroup hierarchy offers the memory, pids and cpu controllers";
            return null;
        }

        var dir = Join(unified.Point, unified.Root, own.Path);
        var offered = (readFile(Path.Combine(dir, "cgroup.controllers")) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (Needed.Except(offered).ToList() is { Count: > 0 } missing)
        {
            why = $"the server's cgroup {dir} offers no {string.Join(", ", missing)} controller";
            return null;
        }

        why = "";
        return new CgroupV2(dir, isRoot: own.Path == "/");
    }

    /// <summary>The folder of <paramref name="path"/> (as /proc/self/cgroup names it) under a mount of <paramref name="root"/>.</summary>
    private static string Join(string point, string root, string path)
    {
        var relative = root != "/" && path.StartsWith(root, StringComparison.Ordinal) ? path[root.Length..] : path;
        return Path.TrimEndingDirectorySeparator(point + "/" + relative.TrimStart('/'));
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);
}
