namespace Catty.Sdk.AgentControl;

/// <summary>
/// The change between two manifests (entries sorted by path, ordinal), as <see cref="WorkspaceManifestDto"/>
/// carries it: the agent computes it, the control plane applies it. An entry is changed when any of its
/// fields differs (kind, mode, size, hash or link target), so a chmod, a rewrite or a file turned folder
/// all show; a rename is the old path removed and the new one added.
/// </summary>
public static class ManifestDelta
{
    /// <summary>The entries of <paramref name="after"/> that are new or differ, and the paths of <paramref name="before"/> that are gone.</summary>
    public static (List<ManifestEntryDto> Changed, List<string> Removed) Between(IReadOnlyList<ManifestEntryDto> before, IReadOnlyList<ManifestEntryDto> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = new List<ManifestEntryDto>();
        var removed = new List<string>();
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            var order = i == before.Count ? 1 : j == after.Count ? -1 : string.CompareOrdinal(before[i].Path, after[j].Path);
            if (order < 0)
            {
                removed.Add(before[i++].Path);
            }
            else if (order > 0)
            {
                changed.Add(after[j++]);
            }
            else
            {
                if (before[i] != after[j])
                {
                    changed.Add(after[j]);
                }

                i++;
                j++;
            }
        }

        return (changed, removed);
    }

    /// <summary>
    /// <paramref name="whole"/> with <paramref name="removed"/> taken out and <paramref name="changed"/> put in, in
    /// path order; null when the change does not fit: paths out of order or repeated, a removed path the whole
    /// manifest lacks, or a path both removed and changed.
    /// </summary>
    public static List<ManifestEntryDto>? Apply(IReadOnlyList<ManifestEntryDto> whole, IReadOnlyList<ManifestEntryDto> changed, IReadOnlyList<string> removed)
    {
        ArgumentNullException.ThrowIfNull(whole);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(removed);
        if (!IsSorted(changed) || !IsSorted(removed))
        {
            return null;
        }

        var result = new List<ManifestEntryDto>(whole.Count + changed.Count);
        int i = 0, j = 0, k = 0;
        while (i < whole.Count || j < changed.Count)
        {
            if (k < removed.Count && (i == whole.Count || string.CompareOrdinal(removed[k], whole[i].Path) < 0))
            {
                return null; // removes what the whole manifest does not hold
            }

            if (k < removed.Count && removed[k] == whole[i].Path)
            {
                if (j < changed.Count && changed[j].Path == removed[k])
                {
                    return null;
                }

                i++;
                k++;
                continue;
            }

            var order = i == whole.Count ? 1 : j == changed.Count ? -1 : string.CompareOrdinal(whole[i].Path, changed[j].Path);
            if (order < 0)
            {
                result.Add(whole[i++]);
            }
            else
            {
                result.Add(changed[j++]);
                if (order == 0)
                {
                    i++;
                }
            }
        }

        return k == removed.Count ? result : null;
    }

    /// <summary>Whether the paths are in strictly increasing ordinal order (so none repeats).</summary>
    public static bool IsSorted(IReadOnlyList<ManifestEntryDto> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (var i = 1; i < entries.Count; i++)
        {
            if (string.CompareOrdinal(entries[i - 1].Path, entries[i].Path) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the paths are in strictly increasing ordinal order (so none repeats).</summary>
    public static bool IsSorted(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        for (var i = 1; i < paths.Count; i++)
        {
            if (string.CompareOrdinal(paths[i - 1], paths[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
