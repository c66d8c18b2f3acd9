using System.Text.Json.Serialization;
using Catty.Sdk.AgentControl;

namespace Catty.Server.Snapshots;

/// <summary>
/// The object at <c>snapshots/&lt;session-id&gt;/&lt;seq&gt;.json</c>: a whole manifest (a keyframe), or the
/// change from the keyframe named by <see cref="Base"/>. A keyframe is never itself a change, so any
/// snapshot is read from two objects at most.
/// </summary>
/// <param name="Digest">The whole manifest's digest, equal to the snapshot row's.</param>
/// <param name="Entries">Sorted by path: every entry of a keyframe, or those added or changed since the base.</param>
/// <param name="Base">Null for a keyframe.</param>
/// <param name="Removed">With a base: the paths it holds that this snapshot has not, sorted.</param>
internal sealed record StoredManifest(
    string Digest,
    IReadOnlyList<ManifestEntryDto> Entries,
    StoredManifestBase? Base = null,
    IReadOnlyList<string>? Removed = null);

/// <summary>The keyframe a stored change applies to.</summary>
/// <param name="Seq">The keyframe's snapshot number; its object is kept while any kept snapshot names it.</param>
/// <param name="Digest">The keyframe's digest, checked when it is read.</param>
internal sealed record StoredManifestBase(int Seq, string Digest);

/// <summary>Source-generated JSON for snapshot objects, in the same style as the wire contracts.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(StoredManifest))]
internal sealed partial class SnapshotJson : JsonSerializerContext
{
}
