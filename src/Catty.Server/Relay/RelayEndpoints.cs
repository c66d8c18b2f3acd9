using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Runtimes;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Catty.Server.Relay;

/// <summary>
/// <c>GET /v1/sessions/{id}/connect</c>: the terminal WebSocket. Refused from a foreign Origin before anything else,
/// authorised by the session's connect token, a browser's ticket or the owner's token (<see cref="SessionAccess"/>),
/// then handed to the session's agent as an opaque upgraded connection.
/// </summary>
internal static class RelayEndpoints
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddRelay(this IServiceCollection services) => services.AddSingleton<AttendedSessions>();

    public static IEndpointRouteBuilder MapRelay(this IEndpointRouteBuilder app)
    {
        var relay = app.MapGroup("/v1/sessions").AllowAnonymous().WithTags("Terminal");
        relay.MapGet("/{sessionId}/connect", ConnectAsync)
            .WithName("ConnectTerminal")
            .WithSummary("WebSocket upgrade to the session's terminal; Authorization: Bearer <connect_token>, or ?ticket= from a browser.");
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ErrorResult>> ConnectAsync(
        string sessionId, HttpContext context, ConnectTokens tokens, TerminalTickets tickets, CattyDbContext db, OwnOrigin origin,
        IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        if (!origin.AllowsMissingOrOwn(context.Request))
        {
            return Errors.Forbidden("forbidden_origin", "WebSocket connections from other sites are refused.");
        }

        var (session, error) = await SessionAccess.FindSessionAsync(sessionId, context, tokens, tickets, db);
        if (session is null)
        {
            return error!;
        }

        if (!SessionAccess.IsRunning(session))
        {
            return Errors.Conflict("session_not_running", $"Session {session.Label} is {session.Status}{(session.StopReason is { } reason ? $" ({reason})" : "")}; it cannot be connected to.");
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers[HeaderNames.SecWebSocketKey].ToString();
        var version = context.Request.Headers[HeaderNames.SecWebSocketVersion].ToString();
        if (upgrade is not { IsUpgradableRequest: true }
            || !context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || key.Length == 0 || version.Length == 0)
        {
            return Errors.BadRequest("websocket_required", "This URL takes an HTTP/1.1 WebSocket upgrade.");
        }

        var logger = loggers.CreateLogger(typeof(RelayEndpoints));
        return await RelayAsync(context, upgrade, session, key, version, lifetime.ApplicationStopping, logger);
    }

    private static async Task<Results<EmptyHttpResult, ErrorResult>> RelayAsync(
        HttpContext context, IHttpUpgradeFeature upgrade, SessionRecord session, string key, string version, CancellationToken serverStopping, ILogger logger)
    {
        // Counted from before the agent's handshake: a client that takes over from another is attended before the
        // agent drops the one it replaces.
        using var attended = context.RequestServices.GetRequiredService<AttendedSessions>().Attach(session);
        System.Net.Sockets.NetworkStream agent;
        AgentUpgradeAnswer? answer;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                agent = await AgentEndpoint.ConnectAsync(session.AgentEndpoint!, handshake.Token);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                logger.LogWarning("Session {Label}: agent unreachable for connect: {Error}", session.Label, ex.Message);
                return Errors.BadGateway("agent_unavailable", $"Session {session.Label} is not answering; try again, or check its status with live=true.");
            }

            try
            {
                await AgentUpgrade.SendAsync(agent, key, version, context.Request.Headers[HeaderNames.SecWebSocketProtocol].ToString(), agentToken: null, handshake.Token);
                answer = await AgentUpgrade.ReadAnswerAsync(agent, handshake.Token);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                logger.LogWarning("Session {Label}: agent handshake failed: {Error}", session.Label, ex.Message);
                answer = null;
            }
        }

        await using var agentConnection = agent;
        if (answer is not { StatusCode: StatusCodes.Status101SwitchingProtocols })
        {
            return answer is { StatusCode: StatusCodes.Status409Conflict }
                ? Errors.Conflict("session_not_running", $"Session {session.Label} has ended.")
                : Errors.BadGateway("agent_unavailable", $"Session {session.Label} refused the connection ({answer?.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"}).");
        }

        foreach (var (name, value) in answer.Headers)
        {
            if (name.Equals(HeaderNames.SecWebSocketAccept, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.SecWebSocketProtocol, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.Append(name, value);
            }
        }

        context.Response.Headers.Upgrade = "websocket";
        var client = await upgrade.UpgradeAsync();
        if (!answer.Leftover.IsEmpty)
        {
            await client.WriteAsync(answer.Leftover, context.RequestAborted);
            await client.FlushAsync(context.RequestAborted);
        }

        // From here on each side's reads complete on the socket engine's thread, which writes them to the other
        // side: one wake-up per direction (docs/design/0306).
        InlineCompletions.TryEnable(context.Features.Get<IConnectionSocketFeature>()?.Socket);
        InlineCompletions.TryEnable(agent.Socket);

        // A stopping server hangs up at once rather than holding shutdown for its timeout: the session keeps
        // running in its agent and the client reconnects to the next server.
        using var relayEnds = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        await OpaqueStreamPump.RunAsync(client, agent, relayEnds.Token);
        return TypedResults.Empty;
    }
}
