using Catty.Agent.Snapshots;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.SyncBack;

/// <summary>One change to send: a file to write (with its scanned entry) or a path to delete.</summary>
internal readonly record struct FileSetChange(string Path, ManifestEntryDto? Written);

/// <summary>
/// The regular files of a workspace scan that sync-back covers, and the difference between two of them.
/// Links, folders, devices and excluded paths are not files here, so a link is never followed or sent.
/// </summary>
internal static class FileSetDiff
{
    public static Dictionary<string, ManifestEntryDto> Files(WorkspaceManifest manifest)
    {
        var files = new Dictionary<string, ManifestEntryDto>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            if (entry.Kind == ManifestKinds.File && SyncBackScope.Includes(entry.Path))
                files[entry.Path] = entry;
        }
        return files;
    }

    /// <summary>Deletes first (in path order), then writes of new or changed files (content or mode).</summary>
    public static List<FileSetChange> Between(Dictionary<string, ManifestEntryDto> before, Dictionary<string, ManifestEntryDto> after)
    {
        var changes = new List<FileSetChange>();
        foreach (var path in before.Keys.Where(p => !after.ContainsKey(p)).Order(StringComparer.Ordinal))
            changes.Add(new FileSetChange(path, null));
        foreach (var (path, entry) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(path, out var old) || old.Sha256 != entry.Sha256 || old.Mode != entry.Mode)
                changes.Add(new FileSetChange(path, entry));
        }
        return changes;
    }
}
