using System.Security.Claims;
using Catty.Server.Accounts;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// <c>/device</c>: where a signed-in person sees the code their CLI shows and approves or denies the login.
/// OpenIddict resolves the code; approving signs the person into it, denying rejects it.
/// </summary>
internal static class VerificationEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(DeviceLoginExtensions.VerificationPath, ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(DeviceLoginExtensions.VerificationPath, DecideAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> ShowAsync(string? done, HttpContext context, CattyDbContext db, IAntiforgery antiforgery)
    {
        var user = await BrowserSession.UserAsync(context, db);
        if (user is null)
        {
            return Results.Redirect(ReturnPath.SignInUrl(context.Request.Path + context.Request.QueryString));
        }

        if (done is "approved" or "denied")
        {
            return Page.Render(done == "approved" ? "Login approved" : "Login denied", done == "approved"
                ? "<p>Your CLI is signed in. You can close this page and go back to the terminal.</p>"
                : "<p>The CLI was refused. You can close this page.</p>");
        }

        var request = context.GetOpenIddictServerRequest();
        if (string.IsNullOrEmpty(request?.UserCode))
        {
            return CodeForm(null);
        }

        var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!code.Succeeded || string.IsNullOrEmpty(code.Principal.GetClaim(Claims.ClientId)))
        {
            return CodeForm("This code is not valid or has expired. Check it against your terminal, or start the login again.");
        }

        var form = Page.AntiforgeryField(antiforgery, context);
        return Page.Render("Approve CLI login", $"""
            <p>A command line asks to sign in to Catty as <strong>{Page.Encode(user.Email)}</strong>.</p>
            <p>Only approve if your terminal shows this code:</p>
            <p class="code"><code>{Page.Encode(request.UserCode)}</code></p>
            <form method="post" action="{DeviceLoginExtensions.VerificationPath}">
            {form}<input type="hidden" name="user_code" value="{Page.Encode(request.UserCode)}">
            <button class="primary" name="decision" value="approve">Approve</button>
            <button name="decision" value="deny" class="secondary">Deny</button>
            </form>
            """);
    }

    private static async Task<IResult> DecideAsync(HttpContext context, CattyDbContext db, IAntiforgery antiforgery, OwnOrigin origin, AuditLog audit)
    {
        var user = await BrowserSession.UserAsync(context, db);
        if (user is null)
        {
            return Results.Redirect(ReturnPath.SignInUrl(DeviceLoginExtensions.VerificationPath));
        }

        if (!origin.AllowsMissingOrOwn(context.Request) || !await antiforgery.IsRequestValidAsync(context))
        {
            return Page.Render("Approve CLI login", Page.Error("This form expired or came from another site; open the link again."), StatusCodes.Status403Forbidden);
        }

        var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!code.Succeeded || string.IsNullOrEmpty(code.Principal.GetClaim(Claims.ClientId)))
        {
            return CodeForm("This code is not valid or has expired. Start the login again from your terminal.");
        }

        var decision = (await context.Request.ReadFormAsync(context.RequestAborted))["decision"].ToString();
        if (decision != "approve")
        {
            await audit.RecordAsync(AuditKinds.DeviceDenied, user.Id, context);
            return Results.Forbid(new AuthenticationProperties { RedirectUri = DeviceLoginExtensions.VerificationPath + "?done=denied" },
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity("catty-device-login", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString()).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.DisplayName);
        identity.SetScopes(code.Principal.GetScopes());
        identity.SetDestinations(DeviceLoginExtensions.Destinations);
        await audit.RecordAsync(AuditKinds.DeviceApproved, user.Id, context);
        return Results.SignIn(new ClaimsPrincipal(identity), new AuthenticationProperties { RedirectUri = DeviceLoginExtensions.VerificationPath + "?done=approved" },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult CodeForm(string? error) => Page.Render("Approve CLI login", $"""
        {Page.Error(error)}
        <form method="get" action="{DeviceLoginExtensions.VerificationPath}">
        <label for="user_code">Code shown by your terminal</label>
        <input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" required>
        <button class="primary">Continue</button>
        </form>
        """, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
