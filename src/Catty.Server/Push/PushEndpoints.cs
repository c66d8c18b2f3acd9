using System.Text.Json.Serialization;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Push;

/// <summary>
/// <c>/v1/push</c>: the VAPID public key, the caller's subscriptions (a browser's PushSubscription JSON, with
/// the events it wants) and the presence reports that keep pushes away from a session someone is looking at.
/// </summary>
internal static class PushEndpoints
{
    /// <summary>A PushSubscription is well under 1 KiB; this leaves room and nothing more.</summary>
    private const long MaxBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder app)
    {
        var push = app.MapGroup("/v1/push").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Push");
        push.MapGet("/key", (VapidKeys keys) => TypedResults.Ok(new PushKeyResponse(keys.PublicKey)))
            .WithName("GetPushKey").WithSummary("The VAPID public key (base64url) for PushManager.subscribe's applicationServerKey.");
        push.MapGet("/subscriptions", ListAsync).WithName("ListPushSubscriptions")
            .WithSummary("The caller's push subscriptions with their events and the last delivery's result.");
        push.MapPost("/subscriptions", SubscribeAsync).WithName("AddPushSubscription").WithMetadata(new BodySizeLimit(MaxBodyBytes))
            .WithSummary("Adds a browser's PushSubscription (endpoint, keys.p256dh, keys.auth), or updates its keys and events.");
        push.MapDelete("/subscriptions", UnsubscribeAsync).WithName("DeletePushSubscription")
            .WithSummary("Removes the caller's subscription with this endpoint.");
        push.MapPost("/presence", PresenceAsync).WithName("ReportPushPresence").WithMetadata(new BodySizeLimit(MaxBodyBytes))
            .WithSummary("A dashboard page says which session it shows and whether it is visible; no push goes out about a session shown visibly.");
        return app;
    }

    private static async Task<Ok<List<PushSubscriptionView>>> ListAsync(CurrentUser user, CattyDbContext db, CancellationToken cancellationToken)
    {
        var subscriptions = await db.PushSubscriptions.AsNoTracking().Where(p => p.UserId == user.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(subscriptions.OrderBy(p => p.CreatedAt).Select(PushSubscriptionView.Of).ToList());
    }

    private static async Task<Results<Ok<PushSubscriptionView>, ErrorResult>> SubscribeAsync(
        PushSubscriptionRequest request, CurrentUser user, CattyDbContext db, IOptions<PushOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Endpoint is not { Length: > 0 } endpoint || request.Keys?.P256dh is not { } p256dh || request.Keys.Auth is not { } auth)
        {
            return Errors.BadRequest("invalid_subscription", "A push subscription needs endpoint, keys.p256dh and keys.auth.");
        }

        if (PushEndpointPolicy.Allowed(endpoint, options.Value.EffectiveAllowedEndpoints) is null)
        {
            return Errors.BadRequest("endpoint_not_allowed", "The endpoint is not a push service this server sends to (Catty:Push:AllowedEndpoints).");
        }

        if (new PushTarget(endpoint, p256dh, auth).KeyProblem() is { } problem)
        {
            return Errors.BadRequest("invalid_subscription", problem + ".");
        }

        var events = request.Events ?? [.. PushEvents.All];
        if (events.FirstOrDefault(e => !PushEvents.All.Contains(e)) is { } unknown)
        {
            return Errors.BadRequest("invalid_subscription", $"Unknown event '{Shorten(unknown)}'; events are {string.Join(", ", PushEvents.All)}.");
        }

        var stored = string.Join(',', PushEvents.All.Where(events.Contains));
        var existing = await db.PushSubscriptions.FirstOrDefaultAsync(p => p.UserId == user.Id && p.Endpoint == endpoint, cancellationToken);
        if (existing is null)
        {
            var count = await db.PushSubscriptions.CountAsync(p => p.UserId == user.Id, cancellationToken);
            if (count >= options.Value.MaxSubscriptionsPerUser)
            {
                return Errors.Conflict("too_many_subscriptions",
                    $"You already have {count} push subscriptions, the most this server keeps; remove one first.");
            }

            existing = new PushSubscriptionRecord { UserId = user.Id, Endpoint = endpoint, P256dh = p256dh, Auth = auth, Events = stored, CreatedAt = time.GetUtcNow() };
            db.PushSubscriptions.Add(existing);
        }
        else
        {
            (existing.P256dh, existing.Auth, existing.Events) = (p256dh, auth, stored);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Errors.Conflict("subscription_changed", "This subscription was changed at the same time; try again.");
        }

        return TypedResults.Ok(PushSubscriptionView.Of(existing));
    }

    private static async Task<Results<NoContent, ErrorResult>> UnsubscribeAsync(string? endpoint, CurrentUser user, CattyDbContext db, CancellationToken cancellationToken)
    {
        if (endpoint is not { Length: > 0 })
        {
            return Errors.BadRequest("invalid_request", "Name the subscription by its endpoint (?endpoint=...).");
        }

        var removed = await db.PushSubscriptions.Where(p => p.UserId == user.Id && p.Endpoint == endpoint).ExecuteDeleteAsync(cancellationToken);
        return removed > 0 ? TypedResults.NoContent() : new ErrorResult(StatusCodes.Status404NotFound, "not_found", "No push subscription with this endpoint.");
    }

    private static async Task<Results<NoContent, ErrorResult>> PresenceAsync(
        PresenceRequest request, CurrentUser user, CattyDbContext db, PushPresence presence, CancellationToken cancellationToken)
    {
        if (request.Page is not { Length: > 0 and <= 64 } page || !page.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return Errors.BadRequest("invalid_request", "page must be 1 to 64 letters, digits, '-' or '_'.");
        }

        if (request.Session is not { Length: > 0 } named)
        {
            presence.Report(user.Id, page, null, visible: false);
            return TypedResults.NoContent();
        }

        var sessionId = await db.Sessions.AsNoTracking().Named(named, user.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
        if (sessionId is null)
        {
            return Errors.SessionNotFound(Shorten(named));
        }

        presence.Report(user.Id, page, sessionId, request.Visible);
        return TypedResults.NoContent();
    }

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "…" : text;

    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}

/// <summary>Answer of <c>GET /v1/push/key</c>.</summary>
internal sealed record PushKeyResponse(string PublicKey);

/// <summary>A browser's PushSubscription as <c>toJSON()</c> gives it, plus the events wanted (default: all).</summary>
internal sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys, List<string>? Events = null);

/// <summary>The subscription's encryption keys, base64url.</summary>
internal sealed record PushSubscriptionKeys([property: JsonPropertyName("p256dh")] string? P256dh, string? Auth);

/// <summary>One subscription as its owner sees it.</summary>
internal sealed record PushSubscriptionView(
    string Endpoint, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, string? LastOutcome, int? LastStatus, DateTimeOffset? LastDeliveredAt)
{
    public static PushSubscriptionView Of(PushSubscriptionRecord p) =>
        new(p.Endpoint, PushEvents.Parse(p.Events), p.CreatedAt, p.LastAttemptAt, p.LastOutcome, p.LastStatus, p.LastDeliveredAt);
}

/// <summary>Body of <c>POST /v1/push/presence</c>: this page (a random id it keeps) shows <c>session</c> (id or label; null: none).</summary>
internal sealed record PresenceRequest(string? Page, string? Session, bool Visible);
