namespace Catty.Sdk.Api;

/// <summary>URLs derived from a session's <c>connect_url</c>, as DESIGN.md ("The HTTP API") defines them.</summary>
public static class SessionUrls
{
    /// <summary>
    /// The workspace upload URL: <c>/connect</c> at the end of the path becomes <c>/upload</c>, <c>ws</c> becomes
    /// <c>http</c> and <c>wss</c> becomes <c>https</c>. It takes <c>POST</c> of an <c>application/zip</c> body with
    /// the connect token as Bearer.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="connectUrl"/> is not a ws(s) URL ending in /connect.</exception>
    public static Uri UploadUrl(string connectUrl)
    {
        if (!Uri.TryCreate(connectUrl, UriKind.Absolute, out var connect)
            || connect.Scheme is not ("ws" or "wss")
            || !connect.AbsolutePath.EndsWith("/connect", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{connectUrl}' is not a ws:// or wss:// URL ending in /connect.", nameof(connectUrl));
        }

        var upload = new UriBuilder(connect)
        {
            Scheme = connect.Scheme == "wss" ? Uri.UriSchemeHttps : Uri.UriSchemeHttp,
            Path = connect.AbsolutePath[..^"/connect".Length] + "/upload",
        };
        if (connect.IsDefaultPort)
        {
            upload.Port = -1;
        }

        return upload.Uri;
    }
}
