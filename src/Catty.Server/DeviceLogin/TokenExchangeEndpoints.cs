using System.Security.Claims;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.Api;
using Catty.Server.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// The token endpoints after OpenIddict has checked the device code or refresh token: the user must still exist;
/// the new tokens carry who they are, and the answer names them (<c>user: {id, email}</c>).
/// </summary>
internal static class TokenExchangeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { DeviceLoginExtensions.DeviceTokenPath, DeviceLoginExtensions.RefreshPath, "/connect/token" })
        {
            app.MapPost(path, ExchangeAsync).AllowAnonymous().WithTags("Auth").ExcludeFromDescription();
        }
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, CattyDbContext db)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this token request.");
        if (!request.IsDeviceCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only device_code and refresh_token grants are supported.");
        }

        var checkedGrant = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = checkedGrant.Principal?.GetClaim(Claims.Subject);
        var user = Guid.TryParse(subject, out var userId)
            ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, context.RequestAborted)
            : null;
        if (checkedGrant.Principal is null || user is null)
        {
            return Refuse(Errors.InvalidGrant, "This login no longer belongs to an account.");
        }

        var identity = new ClaimsIdentity(checkedGrant.Principal.Claims, TokenValidationDefaults, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.DisplayName);
        identity.SetDestinations(DeviceLoginExtensions.Destinations);
        var properties = new AuthenticationProperties();
        properties.Parameters["user"] = JsonSerializer.SerializeToElement(new UserRef(user.Id, user.Email), CattyJson.Default.UserRef);
        return Results.SignIn(new ClaimsPrincipal(identity), properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private const string TokenValidationDefaults = "catty-device-login";

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
