using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// <c>POST /v1/auth/logout</c>: from a browser (cookie) it clears the cookie; with a device-login access token it
/// revokes that whole login, so its access and refresh tokens stop working at once. API tokens are revoked
/// through <c>/v1/tokens</c> instead.
/// </summary>
internal static class LogoutEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/auth/logout", LogoutAsync).RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Auth")
            .WithName("Logout").WithSummary("Ends the caller's browser session or device login.");

    private static async Task<Ok<LogoutResponse>> LogoutAsync(
        CurrentUser user, HttpContext context, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens, AuditLog audit)
    {
        var ct = context.RequestAborted;
        if (AuthSchemes.IsCookie(context))
        {
            await context.SignOutAsync(AuthSchemes.Cookie);
            await audit.RecordAsync(AuditKinds.SignOut, user.Id, context);
            return TypedResults.Ok(new LogoutResponse("Signed out.", "/signin"));
        }

        if (context.User.GetClaim(Claims.Private.AuthorizationId) is { } authorizationId)
        {
            if (await authorizations.FindByIdAsync(authorizationId, ct) is { } authorization)
            {
                await authorizations.TryRevokeAsync(authorization, ct);
            }

            await tokens.RevokeByAuthorizationIdAsync(authorizationId, ct);
            await audit.RecordAsync(AuditKinds.LoginRevoked, user.Id, context, "logout");
            return TypedResults.Ok(new LogoutResponse("Logged out; this login's tokens no longer work.", "/signin"));
        }

        return TypedResults.Ok(new LogoutResponse("API tokens stay valid after logout; revoke one with DELETE /v1/tokens/{id}.", "/signin"));
    }
}
