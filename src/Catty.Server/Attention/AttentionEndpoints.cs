using System.Text;
using System.Text.Json;
using Catty.Sdk;
using Catty.Server.Auth;

namespace Catty.Server.Attention;

/// <summary>
/// <c>GET /v1/sessions/events</c>: server-sent events, one <c>attention</c> event (an
/// <see cref="Sdk.Api.AttentionEvent"/>) per change of one of the caller's sessions, the current states first.
/// </summary>
internal static class AttentionEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);

    public static IEndpointRouteBuilder MapAttention(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/sessions/events", StreamAsync)
            .RequireAuthorization(AuthExtensions.ApiPolicy)
            .WithTags("Sessions")
            .WithName("SessionEvents")
            .WithSummary("Server-sent events: attention changes of the caller's sessions (event \"attention\").")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    private static async Task StreamAsync(CurrentUser user, AttentionBoard board, TimeProvider time, IHostApplicationLifetime lifetime, HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        // A stream never ends by itself: it ends with the listener or with the server, whose graceful stop
        // would otherwise wait for it until its shutdown timeout.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = ending.Token;
        using var subscription = board.Subscribe(user.Id);
        try
        {
            await response.WriteAsync("retry: 5000\n\n", ct);
            await response.Body.FlushAsync(ct);
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var waiting = subscription.Changes.WaitToReadAsync(beat.Token).AsTask();
                var beating = Task.Delay(Heartbeat, time, beat.Token);
                if (await Task.WhenAny(waiting, beating) == beating)
                {
                    await beat.CancelAsync();
                    await response.WriteAsync(": keepalive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    continue;
                }

                await beat.CancelAsync();
                if (!await waiting)
                {
                    return;
                }

                var text = new StringBuilder();
                while (subscription.Changes.TryRead(out var change))
                {
                    text.Append("event: attention\ndata: ")
                        .Append(JsonSerializer.Serialize(change, CattyJson.Default.AttentionEvent))
                        .Append("\n\n");
                }

                await response.WriteAsync(text.ToString(), ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The listener left.
        }
    }
}
