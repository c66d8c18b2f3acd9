namespace Catty.Server.Push;

/// <summary>Whether a subscription's endpoint is one the server may post to (<see cref="PushOptions.AllowedEndpoints"/>).</summary>
internal static class PushEndpointPolicy
{
    /// <summary>The endpoint as an absolute URL when it starts with an allowed prefix; null otherwise.</summary>
    public static Uri? Allowed(string? endpoint, IEnumerable<string> allowedPrefixes)
    {
        if (endpoint is null || endpoint.Length > 2048
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        foreach (var prefix in allowedPrefixes)
        {
            if (Uri.TryCreate(prefix.Replace("://*.", "://wildcard.", StringComparison.Ordinal), UriKind.Absolute, out var allowed)
                && allowed.Scheme == uri.Scheme
                && allowed.Port == uri.Port
                && HostMatches(prefix.Contains("://*.", StringComparison.Ordinal), allowed.Host, uri.Host)
                && uri.AbsolutePath.StartsWith(allowed.AbsolutePath, StringComparison.Ordinal))
            {
                return uri;
            }
        }

        return null;
    }

    private static bool HostMatches(bool wildcard, string allowedHost, string host)
    {
        if (!wildcard)
        {
            return string.Equals(allowedHost, host, StringComparison.OrdinalIgnoreCase);
        }

        var suffix = allowedHost["wildcard".Length..];
        return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}
