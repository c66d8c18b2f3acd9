using Microsoft.Extensions.Options;

namespace Catty.Server.Auth;

/// <summary>
/// Whether a browser's <c>Origin</c> is this server: its public URL when configured, else the scheme and host the
/// request came to. Foreign origins are refused on WebSockets and cookie-authenticated requests (cross-site
/// WebSocket hijacking, CSRF).
/// </summary>
internal sealed class OwnOrigin(IOptions<CattyOptions> options)
{
    /// <summary>True for no Origin at all (native clients) or this server's own.</summary>
    public bool AllowsMissingOrOwn(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || IsOwn(origin, request);
    }

    public bool IsOwn(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || origin.Equals("null", StringComparison.Ordinal))
        {
            return false;
        }

        if (options.Value.PublicUrl is { Length: > 0 } publicUrl && Uri.TryCreate(publicUrl, UriKind.Absolute, out var publicUri))
        {
            return SameOrigin(originUri, publicUri.Scheme, publicUri.Authority);
        }

        return SameOrigin(originUri, request.Scheme, request.Host.Value ?? "");
    }

    private static bool SameOrigin(Uri origin, string scheme, string authority) =>
        string.Equals(origin.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Authority, authority, StringComparison.OrdinalIgnoreCase);
}
