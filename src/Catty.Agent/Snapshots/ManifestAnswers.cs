using Catty.Sdk.AgentControl;

namespace Catty.Agent.Snapshots;

/// <summary>
/// Turns scans into answers for the control plane: an empty change when it already has this very workspace
/// (<c>have</c>), the change since a <c>base</c> it names when the agent still holds that manifest, else the
/// whole manifest. It holds two manifests at most: the base named last and the newest scan, so a control
/// plane that keeps naming the same base gets changes against it however many scans come in between.
/// </summary>
internal sealed class ManifestAnswers
{
    private readonly Lock _gate = new();
    private WorkspaceManifest? _base;
    private WorkspaceManifest? _newest;

    public WorkspaceManifestDto Answer(WorkspaceManifest scan, string? baseDigest, string? haveDigest)
    {
        WorkspaceManifest? from;
        lock (_gate)
        {
            from = baseDigest is null ? null
                : _base?.Digest == baseDigest ? _base
                : _newest?.Digest == baseDigest ? _newest
                : null;
            _base = from;
            _newest = scan;
        }

        var files = 0;
        long bytes = 0;
        foreach (var entry in scan.Entries)
        {
            if (entry.Kind == ManifestKinds.File)
            {
                files++;
                bytes += entry.Size;
            }
        }

        if (haveDigest == scan.Digest)
        {
            return new WorkspaceManifestDto([], scan.Digest, scan.Digest, [], files, bytes);
        }

        if (from is null)
        {
            return new WorkspaceManifestDto(scan.Entries, scan.Digest, Files: files, Bytes: bytes);
        }

        var (changed, removed) = ManifestDelta.Between(from.Entries, scan.Entries);
        return new WorkspaceManifestDto(changed, scan.Digest, from.Digest, removed, files, bytes);
    }
}
