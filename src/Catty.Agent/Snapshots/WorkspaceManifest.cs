using Catty.Sdk.AgentControl;

namespace Catty.Agent.Snapshots;

/// <summary>Everything a snapshot needs to know about a workspace at one moment.</summary>
/// <param name="Entries">Sorted by <see cref="ManifestEntryDto.Path"/>, ordinal.</param>
/// <param name="Digest">Lowercase hex SHA-256 over the sorted entries (see <see cref="ManifestDigest"/>); equal digests mean nothing changed.</param>
internal sealed record WorkspaceManifest(IReadOnlyList<ManifestEntryDto> Entries, string Digest);
