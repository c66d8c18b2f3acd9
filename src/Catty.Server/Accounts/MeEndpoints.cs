using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Accounts;

/// <summary><c>GET /v1/auth/me</c> (who am I, plus the CSRF token a browser needs) and <c>POST /v1/auth/password</c>.</summary>
internal static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/v1/auth").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Auth");
        auth.MapGet("/me", GetAsync).WithName("GetMe").WithSummary("The signed-in user and the X-CSRF-Token a browser sends on state changes.");
        auth.MapPost("/password", SetPasswordAsync).WithName("SetPassword").WithSummary("Sets or changes the caller's password.");
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ErrorResult>> GetAsync(CurrentUser user, CattyDbContext db, IAntiforgery antiforgery, HttpContext context)
    {
        var found = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.Id, context.RequestAborted);
        if (found is null)
        {
            return Errors.Unauthorized("This account no longer exists.");
        }

        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken ?? "";
        return TypedResults.Ok(new MeResponse(Info(found), csrf));
    }

    private static async Task<Results<NoContent, ErrorResult>> SetPasswordAsync(
        SetPasswordRequest request, CurrentUser user, CattyDbContext db, Passwords passwords, AuditLog audit, HttpContext context)
    {
        var found = await db.Users.FirstOrDefaultAsync(u => u.Id == user.Id, context.RequestAborted);
        if (found is null)
        {
            return Errors.Unauthorized("This account no longer exists.");
        }

        if (found.PasswordHash is not null && (request.CurrentPassword is null || !passwords.Verify(found, request.CurrentPassword)))
        {
            return Errors.Forbidden("wrong_password", "current_password is missing or wrong.");
        }

        if (Passwords.Problem(request.NewPassword) is { } problem)
        {
            return Errors.BadRequest("invalid_password", problem);
        }

        found.PasswordHash = passwords.Hash(found, request.NewPassword);
        await db.SaveChangesAsync(context.RequestAborted);
        await audit.RecordAsync(AuditKinds.PasswordChanged, user.Id, context);
        return TypedResults.NoContent();
    }

    public static UserInfo Info(User user) => new(user.Id, user.Email, user.DisplayName, user.Role);
}
