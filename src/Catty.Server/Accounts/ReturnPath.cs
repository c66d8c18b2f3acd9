namespace Catty.Server.Accounts;

/// <summary>
/// Where to go after signing in: only a relative path on this server (<c>/x</c>), never <c>//host</c>,
/// <c>/\host</c> or an absolute URL, so a link cannot send a fresh session to another site.
/// </summary>
internal static class ReturnPath
{
    public static string Safe(string? returnTo) =>
        returnTo is { Length: > 0 and <= 2000 }
        && returnTo[0] == '/'
        && (returnTo.Length == 1 || (returnTo[1] != '/' && returnTo[1] != '\\'))
        && !returnTo.Any(char.IsControl)
            ? returnTo
            : "/";

    /// <summary>The sign-in page that comes back to <paramref name="returnTo"/>.</summary>
    public static string SignInUrl(string returnTo) => "/signin?return_to=" + Uri.EscapeDataString(Safe(returnTo));
}
