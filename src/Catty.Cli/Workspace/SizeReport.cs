using Catty.Cli.Output;

namespace Catty.Cli.Workspace;

/// <summary>What makes a workspace big: its largest files and largest top-level folders, for the "too large" refusal.</summary>
internal static class SizeReport
{
    public static IReadOnlyList<string> Largest(WorkspaceListing listing, int count = 5)
    {
        var lines = new List<string>();
        var folders = listing.Entries
            .Where(e => !e.IsDirectory && e.Path.Contains('/'))
            .GroupBy(e => e.Path[..e.Path.IndexOf('/')], StringComparer.Ordinal)
            .Select(g => (Path: g.Key + "/", Size: g.Sum(e => e.Size)))
            .OrderByDescending(f => f.Size)
            .Take(count)
            .ToList();
        var files = listing.Entries
            .Where(e => !e.IsDirectory)
            .OrderByDescending(e => e.Size)
            .Take(count)
            .Select(e => (e.Path, e.Size))
            .ToList();
        if (folders.Count > 0)
        {
            lines.Add("Largest folders:");
            lines.AddRange(folders.Select(f => $"  {Bytes.Format(f.Size),10}  {f.Path}"));
        }

        lines.Add("Largest files:");
        lines.AddRange(files.Select(f => $"  {Bytes.Format(f.Size),10}  {f.Path}"));
        return lines;
    }
}
