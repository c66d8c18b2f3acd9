using System.Security.Claims;
using System.Text.Encodings.Web;
using Catty.Server.Api;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Auth;

/// <summary>Authenticates <c>Authorization: Bearer catty_...</c> against the hashed API tokens.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CattyDbContext db,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Other Bearer tokens (connect tokens, device-login access tokens) are someone else's business.
        var token = BearerToken(Request);
        if (token is null || !token.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiTokens.LooksValid(token))
        {
            return AuthenticateResult.Fail("malformed token");
        }

        var hash = ApiTokens.Hash(token);
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash)
            .Select(t => new { t.UserId, t.ExpiresAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || (found.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow()))
        {
            return AuthenticateResult.Fail("unknown or expired token");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, found.UserId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Errors.Unauthorized().ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Errors.Forbidden("forbidden", "This token may not do that.").ExecuteAsync(Context);

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}
