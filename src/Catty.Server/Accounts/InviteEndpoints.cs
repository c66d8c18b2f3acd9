using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.ExternalLogins;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Accounts;

/// <summary>
/// The owner invites people: <c>POST /v1/invites</c> makes a single-use, expiring link; <c>GET /invite?token=</c>
/// shows the form where the invited person chooses a password (or a configured provider); <c>POST /invite</c>
/// creates the account and signs them in.
/// </summary>
internal static class InviteEndpoints
{
    private const int MaxHours = 24 * 30;

    public static IEndpointRouteBuilder MapInvites(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/invites").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Accounts")
            .MapPost("/", CreateAsync).WithName("CreateInvite").WithSummary("A single-use invite link (owner only).");
        app.MapGet("/invite", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/invite", AcceptAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<InviteResponse>, ErrorResult>> CreateAsync(
        CreateInviteRequest request, CurrentUser user, CattyDbContext db, TimeProvider time, IOptions<AuthOptions> options,
        IOptions<CattyOptions> server, AuditLog audit, HttpContext context)
    {
        if (!await user.IsOwnerAsync(db, context.RequestAborted))
        {
            return Errors.Forbidden("owner_only", "Only the server's owner may invite people.");
        }

        string? email = null;
        if (request.Email is not null && (email = EmailAddress.TryNormalize(request.Email)) is null)
        {
            return Errors.BadRequest("invalid_email", "email is not an email address.");
        }

        if (request.ExpiresInHours is < 1 or > MaxHours)
        {
            return Errors.BadRequest("invalid_expiry", $"expires_in_hours must be between 1 and {MaxHours}.");
        }

        if (email is not null && await db.Users.AnyAsync(u => u.Email == email, context.RequestAborted))
        {
            return Errors.Conflict("already_member", $"{email} already has an account.");
        }

        var secret = Secrets.New("cti_");
        var now = time.GetUtcNow();
        var invite = new Invite
        {
            Hash = Secrets.Hash(secret),
            Email = email,
            CreatedBy = user.Id,
            CreatedAt = now,
            ExpiresAt = now + (request.ExpiresInHours is { } hours ? TimeSpan.FromHours(hours) : options.Value.InviteLifetime),
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync(context.RequestAborted);
        await audit.RecordAsync(AuditKinds.InviteCreated, user.Id, context, email ?? "any address");
        return TypedResults.Ok(new InviteResponse($"{PublicBase.Of(context.Request, server.Value)}/invite?token={secret}", invite.ExpiresAt, email));
    }

    private static async Task<IResult> ShowAsync(string? token, HttpContext context, CattyDbContext db, TimeProvider time, IAntiforgery antiforgery, ExternalProviders providers)
    {
        var invite = await FindUsableAsync(token, db, time, context.RequestAborted);
        return invite is null ? Unusable() : Form(context, antiforgery, providers, token!, invite.Email, null, null);
    }

    private static async Task<IResult> AcceptAsync(
        HttpContext context, CattyDbContext db, TimeProvider time, Passwords passwords, IAntiforgery antiforgery, OwnOrigin origin,
        ExternalProviders providers, AuditLog audit)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["token"].ToString();
        var name = form["display_name"].ToString().Trim();
        var invite = await FindUsableAsync(token, db, time, context.RequestAborted);
        if (invite is null)
        {
            return Unusable();
        }

        if (!origin.AllowsMissingOrOwn(context.Request) || !await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, antiforgery, providers, token, invite.Email, name, "This form expired or came from another site; try again.", StatusCodes.Status403Forbidden);
        }

        var email = invite.Email ?? EmailAddress.TryNormalize(form["email"]);
        var password = form["password"].ToString();
        var problem = email is null ? "Enter a valid email address."
            : name.Length is 0 or > 100 ? "Enter a display name (at most 100 characters)."
            : Passwords.Problem(password);
        if (problem is not null)
        {
            return Form(context, antiforgery, providers, token, invite.Email, name, problem, StatusCodes.Status400BadRequest);
        }

        var user = new User { Id = Guid.NewGuid(), Email = email!, DisplayName = name, Role = Roles.Member, CreatedAt = time.GetUtcNow() };
        user.PasswordHash = passwords.Hash(user, password);
        if (await RedeemAsync(db, invite, user, time, context.RequestAborted) is { } failure)
        {
            return Form(context, antiforgery, providers, token, invite.Email, name, failure, StatusCodes.Status409Conflict);
        }

        await BrowserSession.SignInAsync(context, user.Id);
        await audit.RecordAsync(AuditKinds.InviteUsed, user.Id, context, email);
        await audit.RecordAsync(AuditKinds.SignIn, user.Id, context, "invite");
        return Results.Redirect("/");
    }

    /// <summary>The invite named by <paramref name="token"/> if it is unused and unexpired.</summary>
    public static async Task<Invite?> FindUsableAsync(string? token, CattyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 4 and <= 200 })
        {
            return null;
        }

        var hash = Secrets.Hash(token);
        var now = time.GetUtcNow();
        return await db.Invites.AsNoTracking().FirstOrDefaultAsync(i => i.Hash == hash && i.UsedAt == null && i.ExpiresAt > now, cancellationToken);
    }

    /// <summary>
    /// Spends the invite and creates the account in one transaction: of two people racing with one link, one wins,
    /// and a refused account (address taken) leaves the invite unspent. Null on success, else why not.
    /// </summary>
    public static async Task<string?> RedeemAsync(CattyDbContext db, Invite invite, User user, TimeProvider time, CancellationToken cancellationToken, ExternalLogin? login = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var spent = await db.Invites.Where(i => i.Hash == invite.Hash && i.UsedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedBy, user.Id), cancellationToken);
        if (spent != 1)
        {
            return "This invite has just been used.";
        }

        if (await db.Users.AnyAsync(u => u.Email == user.Email, cancellationToken))
        {
            return $"{user.Email} already has an account; sign in instead.";
        }

        db.Users.Add(user);
        if (login is not null)
        {
            db.ExternalLogins.Add(login);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private static IResult Unusable() =>
        Page.Render("Invite", Page.Error("This invite link is invalid, expired or already used. Ask for a new one."), StatusCodes.Status410Gone);

    private static IResult Form(
        HttpContext context, IAntiforgery antiforgery, ExternalProviders providers, string token, string? fixedEmail, string? name, string? error, int status = StatusCodes.Status200OK)
    {
        var emailField = fixedEmail is null
            ? """<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>"""
            : $"""<p>Account: <strong>{Page.Encode(fixedEmail)}</strong></p>""";
        var external = string.Concat(providers.All.Select(p =>
            $"""<a class="button" href="{Page.Encode(p.InviteUrl(token))}">Continue with {Page.Encode(p.DisplayName)}</a>"""));
        return Page.Render("Join Catty", $"""
            {Page.Error(error)}
            <form method="post" action="/invite">
            {Page.AntiforgeryField(antiforgery, context)}
            <input type="hidden" name="token" value="{Page.Encode(token)}">
            {emailField}
            <label for="display_name">Your name</label>
            <input id="display_name" name="display_name" autocomplete="name" required maxlength="100" value="{Page.Encode(name)}">
            <label for="password">Password (at least {Passwords.MinLength} characters)</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="{Passwords.MinLength}">
            <button class="primary">Create account</button>
            </form>
            {external}
            """, status);
    }
}
