namespace Catty.Sdk.AgentControl;

/// <summary>
/// <c>POST /snapshot/blobs</c>: the request body lists SHA-256s (lowercase hex), one per line, at most
/// <see cref="MaxPerRequest"/>; the response body holds, for each of them in order, an 8-byte big-endian
/// length followed by that many bytes of content, or the length <see cref="Missing"/> alone when no unchanged
/// file holds that content any more. The body ends when the connection closes. The receiver checks every
/// content against its hash: a file that shrank while it was sent is padded with zeros and fails that check.
/// </summary>
public static class BlobFrames
{
    public const int HeaderBytes = 8;

    /// <summary>The length that says the content is gone (the file changed since the scan).</summary>
    public const long Missing = -1;

    /// <summary>Hashes per request; the body stays well under the agent's 64 KiB request limit.</summary>
    public const int MaxPerRequest = 512;

    public static string RequestBody(IEnumerable<string> sha256s) => string.Join('\n', sha256s);
}
