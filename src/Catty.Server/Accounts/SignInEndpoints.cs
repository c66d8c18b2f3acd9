using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.ExternalLogins;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Accounts;

/// <summary>
/// <c>GET /signin</c> shows the form (email and password, plus any configured providers); <c>POST /signin</c> checks
/// it; <c>GET /signin?code=XXXX-XXXX</c> trades the printed one-time code for the cookie. <c>return_to</c> is honoured
/// for relative paths on this server only.
/// </summary>
internal static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SubmitAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(
        string? code, string? return_to, HttpContext context, CattyDbContext db, TimeProvider time, SignInThrottle throttle,
        IAntiforgery antiforgery, ExternalProviders providers, AuditLog audit)
    {
        var returnTo = ReturnPath.Safe(return_to);
        if (code is null)
        {
            return Form(context, antiforgery, providers, returnTo, email: null, error: null);
        }

        if (throttle.Attempt(context) is { } limited)
        {
            return limited;
        }

        if (string.IsNullOrWhiteSpace(code) || code.Length > 32)
        {
            return Refused("This sign-in link has no code.");
        }

        var now = time.GetUtcNow();
        var hash = SignInCodes.Hash(code);
        var userId = await db.SignInCodes.AsNoTracking()
            .Where(c => c.Hash == hash && c.UsedAt == null && c.ExpiresAt > now)
            .Select(c => (Guid?)c.UserId)
            .FirstOrDefaultAsync(context.RequestAborted);

        // Marking it used is the atomic step: of two browsers racing with the same code, one wins.
        if (userId is null || await db.SignInCodes.Where(c => c.Hash == hash && c.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), context.RequestAborted) != 1)
        {
            await audit.RecordAsync(AuditKinds.SignInFailed, null, context, "one-time link");
            return Refused("This sign-in link is invalid, expired or already used. Restart catty-server for a fresh one.");
        }

        await BrowserSession.SignInAsync(context, userId.Value);
        await audit.RecordAsync(AuditKinds.SignIn, userId, context, "one-time link");
        return Results.Redirect(returnTo);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, CattyDbContext db, Passwords passwords, SignInThrottle throttle, IAntiforgery antiforgery,
        OwnOrigin origin, ExternalProviders providers, AuditLog audit)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnTo = ReturnPath.Safe(form["return_to"]);
        var typed = form["email"].ToString();
        if (!origin.AllowsMissingOrOwn(context.Request) || !await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, antiforgery, providers, returnTo, typed, "This form expired or came from another site; try again.", StatusCodes.Status403Forbidden);
        }

        if (throttle.Attempt(context) is { } limited)
        {
            return Form(context, antiforgery, providers, returnTo, typed, limited.Value.Message, limited.StatusCode);
        }

        var email = EmailAddress.TryNormalize(typed);
        var password = form["password"].ToString();
        if (email is not null && throttle.CheckAccount(email, context) is { } locked)
        {
            return Form(context, antiforgery, providers, returnTo, typed, locked.Value.Message, locked.StatusCode);
        }

        var user = email is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, context.RequestAborted);
        if (user is null)
        {
            passwords.VerifyNobody(password);
        }

        if (user is null || !passwords.Verify(user, password))
        {
            if (email is not null)
            {
                throttle.Failed(email);
            }

            await audit.RecordAsync(AuditKinds.SignInFailed, user?.Id, context, "password", email ?? typed);
            return Form(context, antiforgery, providers, returnTo, typed, "Wrong email or password.", StatusCodes.Status401Unauthorized);
        }

        await BrowserSession.SignInAsync(context, user.Id);
        await audit.RecordAsync(AuditKinds.SignIn, user.Id, context, "password");
        return Results.Redirect(returnTo, permanent: false, preserveMethod: false);
    }

    private static IResult Form(
        HttpContext context, IAntiforgery antiforgery, ExternalProviders providers, string returnTo, string? email, string? error, int status = StatusCodes.Status200OK)
    {
        var external = string.Concat(providers.All.Select(p =>
            $"""<a class="button" href="{Page.Encode(p.StartUrl(returnTo))}">Sign in with {Page.Encode(p.DisplayName)}</a>"""));
        return Page.Render("Sign in", $"""
            {Page.Error(error)}
            <form method="post" action="/signin">
            {Page.AntiforgeryField(antiforgery, context)}
            <input type="hidden" name="return_to" value="{Page.Encode(returnTo)}">
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="{Page.Encode(email)}">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button class="primary">Sign in</button>
            </form>
            {external}
            <p class="note">No account? Ask the server's owner for an invite link.</p>
            """, status);
    }

    private static IResult Refused(string message) =>
        Results.Content(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
}
