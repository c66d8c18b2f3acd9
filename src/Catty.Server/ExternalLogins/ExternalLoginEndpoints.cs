using System.Security.Claims;
using Catty.Server.Accounts;
using Catty.Server.Audit;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.ExternalLogins;

/// <summary>
/// <c>GET /signin/external/{provider}</c> sends the browser to the provider; <c>/signin/callback/{provider}</c> takes it
/// back. An external account signs in only the user it is bound to, by issuer and subject; a binding is made only
/// from an invite or by a signed-in user linking their own account, never by matching an email address; and an
/// address the provider has not verified is refused.
/// </summary>
internal static class ExternalLoginEndpoints
{
    private const string ReturnTo = "catty_return_to";
    private const string InviteToken = "catty_invite";
    private const string LinkUser = "catty_link_user";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/signin/external/{provider}", StartAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(ExternalLoginExtensions.CallbackPrefix + "{provider}", [HttpMethods.Get, HttpMethods.Post], CallbackAsync)
            .AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> StartAsync(
        string provider, string? return_to, string? invite, bool? link, HttpContext context, CattyDbContext db, ExternalProviders providers)
    {
        if (providers.All.All(p => p.Name != provider))
        {
            return Page.Render("Sign in", Page.Error($"No sign-in provider '{provider}' is configured."), StatusCodes.Status404NotFound);
        }

        var items = new Dictionary<string, string?>
        {
            [OpenIddictClientAspNetCoreConstants.Properties.ProviderName] = provider,
            [ReturnTo] = ReturnPath.Safe(return_to),
        };
        if (invite is { Length: > 0 })
        {
            items[InviteToken] = invite;
        }

        if (link == true)
        {
            var user = await BrowserSession.UserAsync(context, db);
            if (user is null)
            {
                return Results.Redirect(ReturnPath.SignInUrl(context.Request.Path + context.Request.QueryString));
            }

            items[LinkUser] = user.Id.ToString();
        }

        // The items travel inside OpenIddict's encrypted state token and come back only with this browser's callback.
        return Results.Challenge(new AuthenticationProperties(items) { RedirectUri = "/" }, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> CallbackAsync(
        string provider, HttpContext context, CattyDbContext db, TimeProvider time, AuditLog audit, ExternalProviders providers, GitHubLogin github,
        ILoggerFactory loggers)
    {
        var result = await context.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        var registered = result.Principal?.GetClaim(Claims.Private.ProviderName);
        if (!result.Succeeded || result.Principal is not { } external || registered != provider || providers.Find(provider) is not { } shown)
        {
            loggers.CreateLogger(typeof(ExternalLoginEndpoints)).LogWarning(
                "Sign-in through {Provider} failed: {Error}", provider, result.Failure?.Message ?? $"the answer was for '{registered}'");
            return Refused("The sign-in with the provider did not complete. Try again.");
        }

        var identity = await IdentityAsync(provider, result, external, github, context.RequestAborted);
        var items = result.Properties?.Items ?? new Dictionary<string, string?>();
        var returnTo = ReturnPath.Safe(items.TryGetValue(ReturnTo, out var back) ? back : null);
        if (identity is null)
        {
            return Refused($"{shown.DisplayName} did not say who you are. Try again.");
        }

        var (issuer, subject) = (identity.Issuer, identity.Subject);
        var email = EmailAddress.TryNormalize(identity.Email);
        if (email is null || !identity.EmailVerified)
        {
            await audit.RecordAsync(AuditKinds.SignInFailed, null, context, $"{provider}: email not verified", email);
            return Refused($"Your {shown.DisplayName} account has no verified email address; verify it there, then try again.");
        }

        var bound = await db.ExternalLogins.AsNoTracking().FirstOrDefaultAsync(l => l.Issuer == issuer && l.Subject == subject, context.RequestAborted);
        if (bound is not null)
        {
            await BrowserSession.SignInAsync(context, bound.UserId);
            await audit.RecordAsync(AuditKinds.SignIn, bound.UserId, context, provider);
            return Results.Redirect(returnTo);
        }

        var login = new ExternalLogin { Issuer = issuer, Subject = subject, Provider = provider, CreatedAt = time.GetUtcNow() };
        if (items.TryGetValue(LinkUser, out var linkUser) && Guid.TryParse(linkUser, out var linkId)
            && (await BrowserSession.UserAsync(context, db))?.Id == linkId)
        {
            login.UserId = linkId;
            db.ExternalLogins.Add(login);
            await db.SaveChangesAsync(context.RequestAborted);
            await audit.RecordAsync(AuditKinds.ExternalLoginLinked, linkId, context, provider, email);
            return Results.Redirect(returnTo);
        }

        if (items.TryGetValue(InviteToken, out var token) && await InviteEndpoints.FindUsableAsync(token, db, time, context.RequestAborted) is { } invite)
        {
            if (invite.Email is not null && invite.Email != email)
            {
                return Refused($"This invite is for {invite.Email}; your {shown.DisplayName} account's address is {email}.");
            }

            var name = identity.Name is { Length: > 0 and <= 100 } given ? given : email;
            var user = new User { Id = Guid.NewGuid(), Email = email, DisplayName = name, Role = Roles.Member, CreatedAt = time.GetUtcNow() };
            login.UserId = user.Id;
            if (await InviteEndpoints.RedeemAsync(db, invite, user, time, context.RequestAborted, login) is { } failure)
            {
                return Refused(failure);
            }

            await BrowserSession.SignInAsync(context, user.Id);
            await audit.RecordAsync(AuditKinds.InviteUsed, user.Id, context, provider, email);
            await audit.RecordAsync(AuditKinds.SignIn, user.Id, context, provider);
            return Results.Redirect("/");
        }

        await audit.RecordAsync(AuditKinds.SignInFailed, null, context, $"{provider}: not linked", email);
        return Refused($"No Catty account is linked to this {shown.DisplayName} account. Sign in with your password and link it, or ask the owner for an invite.");
    }

    /// <summary>An OpenID Connect provider's validated claims; for GitHub, which sends no ID token, its API's answer for the access token.</summary>
    private static async Task<ExternalIdentity?> IdentityAsync(
        string provider, AuthenticateResult result, ClaimsPrincipal external, GitHubLogin github, CancellationToken cancellation)
    {
        if (provider != GitHubLogin.ProviderName)
        {
            return ExternalIdentity.FromClaims(external);
        }

        var accessToken = result.Properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.BackchannelAccessToken);
        return accessToken is null ? null : await github.ReadAsync(accessToken, cancellation);
    }

    private static IResult Refused(string message) =>
        Page.Render("Sign in", $"""{Page.Error(message)}<a class="button" href="/signin">Back to sign-in</a>""", StatusCodes.Status403Forbidden);
}
