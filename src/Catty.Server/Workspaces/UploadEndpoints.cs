using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Relay;
using Catty.Server.Runtimes;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace Catty.Server.Workspaces;

/// <summary>
/// <c>POST /v1/sessions/{id}/upload</c>: the session's one workspace zip. Authorised like the terminal (the
/// session's connect token), streamed to the agent as it arrives and answered with the agent's own answer.
/// </summary>
internal static class UploadEndpoints
{
    /// <summary>The compressed limit of DESIGN.md "Workspaces"; the agent enforces it too.</summary>
    public const long MaxUploadBytes = 100L * 1024 * 1024;

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/sessions/{sessionId}/upload", UploadAsync).AllowAnonymous().WithTags("Workspace")
            .WithName("UploadWorkspace")
            .WithMetadata(new BodySizeLimit(MaxUploadBytes))
            .WithSummary("The workspace as application/zip (at most 100 MB, with Content-Length); Authorization: Bearer <connect_token>.");
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ErrorResult>> UploadAsync(
        string sessionId, HttpContext context, ConnectTokens tokens, TerminalTickets tickets, CattyDbContext db, StorageQuota quota)
    {
        var (session, error) = await SessionAccess.FindSessionAsync(sessionId, context, tokens, tickets, db);
        if (session is null)
        {
            return error!;
        }

        if (context.Request.ContentLength is not { } length)
        {
            return new ErrorResult(StatusCodes.Status411LengthRequired, "length_required", "The upload needs a Content-Length header.");
        }

        if (length > MaxUploadBytes)
        {
            return new ErrorResult(StatusCodes.Status413PayloadTooLarge, "upload_too_large", $"The upload is {length} bytes; the limit is {MaxUploadBytes}.");
        }

        if (!SessionAccess.IsRunning(session))
        {
            return Errors.Conflict("session_not_running", $"Session {session.Label} is {session.Status}; it cannot take an upload.");
        }

        // The compressed size stands in for what the upload will hold: the agent bounds the expansion.
        if (quota.Enabled && quota.Check(await StorageQuota.UsageAsync(db, session.OwnerId, null, context.RequestAborted), length, "this upload") is { } full)
        {
            return full;
        }

        using var agent = new AgentClient(session.AgentEndpoint!);
        var answer = await agent.UploadAsync(context.Request.Body, length, context.RequestAborted);
        if (answer is not { } relayed)
        {
            return Errors.BadGateway("agent_unavailable", $"Session {session.Label} did not take the upload; check its status with live=true.");
        }

        context.Response.StatusCode = relayed.Status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = relayed.Body.Length;
        await context.Response.Body.WriteAsync(relayed.Body, context.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>Routing applies this before the body is read; Kestrel refuses anything longer.</summary>
    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
