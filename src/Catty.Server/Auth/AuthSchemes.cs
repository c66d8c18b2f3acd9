using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Validation.AspNetCore;

namespace Catty.Server.Auth;

/// <summary>
/// The ways a caller proves who they are. <see cref="Default"/> picks one per request: a Bearer API token, a Bearer
/// device-login access token, or (without an Authorization header) the browser's sign-in cookie.
/// </summary>
internal static class AuthSchemes
{
    public const string Default = "catty";

    public const string ApiToken = ApiTokenAuthenticationHandler.SchemeName;

    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    public const string AccessToken = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    public static string Select(HttpContext context)
    {
        var bearer = ApiTokenAuthenticationHandler.BearerToken(context.Request);
        if (bearer is null)
        {
            return Cookie;
        }

        // Connect tokens go to the API-token handler too, which ignores them: only the relay and upload read them.
        return bearer.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) || bearer.StartsWith(ConnectTokens.Prefix, StringComparison.Ordinal)
            ? ApiToken
            : AccessToken;
    }

    /// <summary>Whether the request was authenticated by the browser cookie (which needs CSRF and Origin checks).</summary>
    public static bool IsCookie(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: Cookie };
}
