namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>
/// The host's cgroup hierarchy as this server sees it: session groups are created under the server's own group,
/// so a server confined by its service manager confines its sessions too. Two implementations: v1 (a hierarchy
/// per controller) and v2 (one unified tree).
/// </summary>
internal abstract class CgroupHost
{
    public abstract int Version { get; }

    /// <summary>Where session groups go, for the start-up summary.</summary>
    public abstract string Where { get; }

    /// <summary>Makes the hierarchy ready for session groups; the reason when it cannot be.</summary>
    public abstract string? Prepare();

    /// <summary>Creates the group <paramref name="name"/> with <paramref name="limits"/>; null and the reason when it cannot.</summary>
    public abstract SessionCgroup? Create(string name, CgroupLimits limits, out string? error);

    protected static string? Mkdir(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot create {dir}: {ex.Message}";
        }
    }

    /// <summary>Writes each limit; the first failure, after removing what was created.</summary>
    protected static string? Apply(SessionCgroup group, IEnumerable<(string File, string Value, bool Optional)> settings)
    {
        try
        {
            foreach (var (file, value, optional) in settings)
            {
                if (optional)
                {
                    CgroupFiles.WriteIfPresent(file, value);
                }
                else
                {
                    CgroupFiles.Write(file, value);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            group.Remove();
            return $"cannot set limits in {group.MemoryDir}: {ex.Message}";
        }
    }
}
