using System.Collections.Frozen;

namespace Catty.Agent.Workspace;

/// <summary>
/// Names left out of snapshots and sync-back at any depth: tool caches and dependency folders that are
/// large, rebuilt on demand, and would make every snapshot cost as much as the dependencies.
/// </summary>
internal static class WorkspaceExclusions
{
    /// <summary>Excluded names; an entry with one of these names is left out with everything beneath it.</summary>
    public static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.Ordinal,
        ".git",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".cache",
        ".npm",
        ".yarn");

    /// <summary>
    /// Kept in snapshots although sync-back leaves it out: snapshots are incremental, so a repository costs its
    /// changed objects only, and commits made in a session come back with download, sync and resume.
    /// </summary>
    public const string GitFolder = ".git";

    /// <summary>Whether a single path component is excluded.</summary>
    public static bool IsExcludedName(string name) => Names.Contains(name);

    /// <summary>Whether a single path component is left out of snapshots: the names above except <see cref="GitFolder"/>.</summary>
    public static bool IsExcludedFromSnapshot(string name) => name != GitFolder && Names.Contains(name);

    /// <summary>Whether a workspace-relative path (separated by '/') is excluded or lies under an excluded folder.</summary>
    public static bool IsExcludedPath(string relativePath)
    {
        foreach (var range in relativePath.AsSpan().Split('/'))
        {
            if (Names.GetAlternateLookup<ReadOnlySpan<char>>().Contains(relativePath.AsSpan()[range]))
            {
                return true;
            }
        }

        return false;
    }
}
