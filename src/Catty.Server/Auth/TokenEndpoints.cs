using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Auth;

/// <summary><c>/v1/tokens</c>: personal API tokens for automation; created once (shown once), listed, revoked.</summary>
internal static class TokenEndpoints
{
    private const int MaxNameLength = 100;
    private const int MaxDays = 3650;
    private const int MaxTokensPerUser = 100;

    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/v1/tokens").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Tokens");
        tokens.MapPost("/", CreateAsync).WithName("CreateToken").WithSummary("A new API token; its value is shown in this answer only.");
        tokens.MapGet("/", ListAsync).WithName("ListTokens").WithSummary("The caller's API tokens (names and dates, never values).");
        tokens.MapDelete("/{id}", RevokeAsync).WithName("RevokeToken").WithSummary("Revokes one of the caller's API tokens.");
        return app;
    }

    private static async Task<Results<Ok<CreatedApiToken>, ErrorResult>> CreateAsync(
        CreateApiTokenRequest request, CurrentUser user, CattyDbContext db, TimeProvider time, AuditLog audit, HttpContext context)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return Errors.BadRequest("invalid_name", $"name must be 1 to {MaxNameLength} characters.");
        }

        if (request.ExpiresInDays is < 1 or > MaxDays)
        {
            return Errors.BadRequest("invalid_expiry", $"expires_in_days must be between 1 and {MaxDays}, or left out for a token that does not expire.");
        }

        if (await db.ApiTokens.CountAsync(t => t.UserId == user.Id, context.RequestAborted) >= MaxTokensPerUser)
        {
            return Errors.Conflict("too_many_tokens", $"You have {MaxTokensPerUser} tokens; revoke one first.");
        }

        var now = time.GetUtcNow();
        var value = ApiTokens.Generate();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            Hash = ApiTokens.Hash(value),
            Name = name,
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(context.RequestAborted);
        await audit.RecordAsync(AuditKinds.TokenCreated, user.Id, context, name);
        return TypedResults.Ok(new CreatedApiToken(token.Id, token.Name, value, token.CreatedAt, token.ExpiresAt));
    }

    private static async Task<Ok<List<ApiTokenInfo>>> ListAsync(CurrentUser user, CattyDbContext db, HttpContext context)
    {
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderBy(t => t.CreatedAt).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(tokens.Select(t => new ApiTokenInfo(t.Id, t.Name, t.CreatedAt, t.ExpiresAt)).ToList());
    }

    private static async Task<Results<NoContent, ErrorResult>> RevokeAsync(string id, CurrentUser user, CattyDbContext db, AuditLog audit, HttpContext context)
    {
        var name = Guid.TryParse(id, out var tokenId)
            ? await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == user.Id).Select(t => t.Name).FirstOrDefaultAsync(context.RequestAborted)
            : null;
        if (name is null || await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == user.Id).ExecuteDeleteAsync(context.RequestAborted) == 0)
        {
            return new ErrorResult(StatusCodes.Status404NotFound, "not_found", $"No token '{id}'.");
        }

        await audit.RecordAsync(AuditKinds.TokenRevoked, user.Id, context, name);
        return TypedResults.NoContent();
    }
}
