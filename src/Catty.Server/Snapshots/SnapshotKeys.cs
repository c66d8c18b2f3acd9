namespace Catty.Server.Snapshots;

/// <summary>Where snapshot objects live in the blob store (0500).</summary>
internal static class SnapshotKeys
{
    public static string Blob(string sha256) => $"blobs/sha256/{sha256[..2]}/{sha256}.gz";

    public static string Manifest(Guid sessionId, int seq) => $"{ManifestsOf(sessionId)}{seq}.json";

    /// <summary>The prefix of every manifest of one session.</summary>
    public static string ManifestsOf(Guid sessionId) => $"snapshots/{sessionId:D}/";

    public static string Download(Guid snapshotId) => $"downloads/{snapshotId:D}.tar.gz";

    /// <summary>64 lowercase hex digits.</summary>
    public static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;
}
