namespace Catty.Sdk.AgentControl;

// Workspace routes of the catty-agent contract:
//   POST /upload                  application/zip body with Content-Length → AgentUploadResult; refusals are ApiError with their status
//   GET  /snapshot/manifest       [?base=<digest>][&have=<digest>] → WorkspaceManifestDto, whole or the change since base
//   POST /snapshot/blobs          body: SHA-256s (lowercase hex), one per line → frames (see BlobFrames)

/// <summary>The answer to a workspace upload that was extracted.</summary>
/// <param name="Files">Regular files written.</param>
/// <param name="Directories">Folders the archive holds, implied parents included.</param>
/// <param name="Bytes">Bytes written.</param>
public sealed record AgentUploadResult(int Files, int Directories, long Bytes);

/// <summary>One thing in the workspace as a snapshot records it.</summary>
/// <param name="Path">Relative to the workspace root, '/'-separated, never starting with one.</param>
/// <param name="Kind">One of <see cref="ManifestKinds"/>.</param>
/// <param name="Mode">rwx bits for user, group and other.</param>
/// <param name="Size">Bytes of content for a file, of target for a link, 0 for a folder.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of a file's content; null for folders and links.</param>
/// <param name="LinkTarget">A link's target exactly as stored, never followed; null otherwise.</param>
public sealed record ManifestEntryDto(string Path, string Kind, int Mode, long Size, string? Sha256 = null, string? LinkTarget = null);

/// <summary>
/// A workspace at one moment: either whole, or as the change from an earlier manifest the asker named as
/// <c>base</c> (and the agent still holds). Applying <see cref="Removed"/> and then <see cref="Entries"/>
/// (added or replaced by path) to the base gives the whole manifest, whose digest is <see cref="Digest"/>.
/// </summary>
/// <param name="Entries">Sorted by path (ordinal): every entry, or with a base only those added or changed since it.</param>
/// <param name="Digest">The whole workspace's digest (<see cref="ManifestDigest"/>): equal digests mean an unchanged workspace.</param>
/// <param name="Base">Null for a whole manifest; otherwise the digest of the manifest this one changes.</param>
/// <param name="Removed">With a base: the paths it holds that are gone, sorted (ordinal). Null for a whole manifest.</param>
/// <param name="Files">Regular files in the whole workspace.</param>
/// <param name="Bytes">Bytes of file content in the whole workspace.</param>
public sealed record WorkspaceManifestDto(
    IReadOnlyList<ManifestEntryDto> Entries,
    string Digest,
    string? Base = null,
    IReadOnlyList<string>? Removed = null,
    int Files = 0,
    long Bytes = 0);

/// <summary>Values of <see cref="ManifestEntryDto.Kind"/>.</summary>
public static class ManifestKinds
{
    public const string File = "file";
    public const string Directory = "dir";
    public const string Symlink = "symlink";
}
