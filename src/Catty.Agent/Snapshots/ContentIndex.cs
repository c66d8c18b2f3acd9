using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Snapshots;

/// <summary>What one scan learnt about a file: the status its hash belongs to.</summary>
/// <param name="Racy">Touched so close to the scan that a later change might not show in its status; never trusted by the next scan.</param>
internal sealed record CachedFile(FileStatus Status, string Sha256, bool Racy);

/// <summary>The published result of a scan: the hash cache for the next scan and the paths holding each hash.</summary>
internal sealed class ContentIndex
{
    public static readonly ContentIndex Empty = new(new Dictionary<string, CachedFile>(StringComparer.Ordinal));

    private readonly Lazy<Dictionary<string, List<string>>> _pathsBySha;

    public ContentIndex(Dictionary<string, CachedFile> files)
    {
        Files = files;
        // Built on first use: most scans find nothing new, and nobody asks them for content.
        _pathsBySha = new Lazy<Dictionary<string, List<string>>>(() =>
        {
            var bySha = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (path, file) in files)
            {
                if (!bySha.TryGetValue(file.Sha256, out var paths))
                {
                    bySha[file.Sha256] = paths = [];
                }

                paths.Add(path);
            }

            return bySha;
        });
    }

    /// <summary>Relative path → cached hash. Never mutated once published.</summary>
    public IReadOnlyDictionary<string, CachedFile> Files { get; }

    /// <summary>Hash → every path that held it at the scan.</summary>
    public IReadOnlyDictionary<string, List<string>> PathsBySha => _pathsBySha.Value;
}
