using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catty.Agent.Hosting;
using Catty.Agent.Http;
using Catty.Agent.Terminal;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Control;

/// <summary>
/// The agent's HTTP surface for the control plane: <c>GET /connect</c> (the terminal WebSocket),
/// <c>GET /status</c>, <c>GET /wait</c>, <c>GET /attention</c>, <c>GET /logs</c>, <c>POST /stop</c>, and the workspace routes of
/// <see cref="WorkspaceEndpoints"/>.
/// </summary>
internal sealed class AgentEndpoints(AgentHost host, string? token, AgentOptions options, TimeProvider time, AgentLog log, WorkspaceEndpoints workspace)
{
    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    public async Task HandleAsync(HttpExchange exchange)
    {
        var (stream, request, _) = exchange;
        var ct = CancellationToken.None;
        if (!Authorized(request))
        {
            await HttpResponse.WriteErrorAsync(stream, 401, "unauthorized", "a valid Bearer token is required", ct,
                ("WWW-Authenticate", "Bearer")).ConfigureAwait(false);
            return;
        }
        var (method, allowed) = request.Path switch
        {
            "/connect" or "/status" or "/wait" or "/logs" or "/attention" => (request.Method, "GET"),
            "/stop" or WorkspaceEndpoints.UploadPath or WorkspaceEndpoints.BlobsPath => (request.Method, "POST"),
            WorkspaceEndpoints.ManifestPath => (request.Method, "GET"),
            _ => (request.Method, null),
        };
        if (allowed is null)
        {
            await HttpResponse.WriteErrorAsync(stream, 404, "not_found", $"no endpoint {request.Path}", ct).ConfigureAwait(false);
            return;
        }
        if (method != allowed)
        {
            await HttpResponse.WriteErrorAsync(stream, 405, "method_not_allowed", $"{request.Path} takes {allowed}", ct,
                ("Allow", allowed)).ConfigureAwait(false);
            return;
        }
        var session = host.Session;
        switch (request.Path)
        {
            case "/connect":
                await ConnectAsync(exchange).ConfigureAwait(false);
                break;
            case "/status":
                await WriteStatusAsync(stream, session.Status()).ConfigureAwait(false);
                break;
            case "/wait":
                await Task.WhenAny(session.Exited, host.ShuttingDown).ConfigureAwait(false);
                await WriteStatusAsync(stream, session.Status()).ConfigureAwait(false);
                break;
            case "/attention":
                await AttentionAsync(stream, request).ConfigureAwait(false);
                break;
            case "/logs":
                await HttpResponse.WriteAsync(stream, 200, "application/octet-stream", session.RecentOutput(), [], ct).ConfigureAwait(false);
                break;
            case "/stop":
                await StopAsync(stream, request).ConfigureAwait(false);
                break;
            case WorkspaceEndpoints.UploadPath:
                await workspace.UploadAsync(exchange).ConfigureAwait(false);
                break;
            case WorkspaceEndpoints.ManifestPath:
                await workspace.ManifestAsync(stream, request).ConfigureAwait(false);
                break;
            case WorkspaceEndpoints.BlobsPath:
                await workspace.BlobsAsync(stream, request).ConfigureAwait(false);
                break;
        }
    }

    private async Task ConnectAsync(HttpExchange exchange)
    {
        var (stream, request, leftover) = exchange;
        var accept = WebSocketHandshake.Validate(request, out var status, out var error);
        if (accept is null)
        {
            var extra = status == 426 ? new[] { ("Sec-WebSocket-Version", "13") } : [];
            await HttpResponse.WriteErrorAsync(stream, status, "bad_upgrade", error!, CancellationToken.None, extra).ConfigureAwait(false);
            return;
        }
        if (host.ShuttingDown.IsCompleted)
        {
            await HttpResponse.WriteErrorAsync(stream, 503, "stopping", "the session is stopping", CancellationToken.None).ConfigureAwait(false);
            return;
        }
        // A client wants to see the program: it starts now if it was still held back for the upload.
        host.RequestStart("a client connected");
        await host.Session.Launched.ConfigureAwait(false);
        await stream.WriteAsync(WebSocketHandshake.SwitchingProtocols(accept)).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
        // The terminal's own threads drive the connection (see BlockingSocketStream); a stream that is not a
        // socket keeps the runtime's async path.
        Stream transport = stream is NetworkStream network
            ? BlockingSocketStream.TakeOver(network.Socket, leftover)
            : leftover.IsEmpty ? stream : new PrefixedStream(leftover, stream);
        // Keepalive is ours (JSON ping/pong in text frames), so the protocol-level one is off.
        var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var driver = new TerminalDriver(socket, host.Session, options, time, log);
        await driver.RunAsync().ConfigureAwait(false);
    }

    private async Task StopAsync(Stream stream, HttpRequest request)
    {
        var stop = new AgentStopRequest("user");
        if (request.Body.Length > 0)
        {
            try
            {
                stop = JsonSerializer.Deserialize(request.Body, CattyJson.Default.AgentStopRequest) ?? stop;
            }
            catch (JsonException)
            {
                await HttpResponse.WriteErrorAsync(stream, 400, "bad_request", "the body must be an AgentStopRequest", CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        if (stop.GraceMs is < 0 or > 600_000)
        {
            await HttpResponse.WriteErrorAsync(stream, 400, "bad_request", "grace_ms must be between 0 and 600000", CancellationToken.None).ConfigureAwait(false);
            return;
        }
        var status = await host.StopProgramAsync(stop.Reason ?? "user", TimeSpan.FromMilliseconds(stop.GraceMs)).ConfigureAwait(false);
        try
        {
            await WriteStatusAsync(stream, status).ConfigureAwait(false);
        }
        finally
        {
            host.RequestShutdown("stopped on request");
        }
    }

    /// <summary>
    /// <c>GET /attention?after=N</c>: the current state at once when its version is not N, else the next
    /// change, or the same state again after <see cref="AgentOptions.AttentionPollTimeout"/>.
    /// </summary>
    private async Task AttentionAsync(Stream stream, HttpRequest request)
    {
        long after = 0;
        foreach (var pair in request.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("after=", StringComparison.Ordinal)
                && !long.TryParse(pair.AsSpan("after=".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
            {
                await HttpResponse.WriteErrorAsync(stream, 400, "bad_request", "after must be a version number", CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        var attention = await host.Session.Attention.WaitForChangeAsync(after, options.AttentionPollTimeout, CancellationToken.None).ConfigureAwait(false);
        await HttpResponse.WriteJsonAsync(stream, 200, JsonSerializer.SerializeToUtf8Bytes(attention, CattyJson.Default.AgentAttention), CancellationToken.None).ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(Stream stream, AgentStatus status) =>
        HttpResponse.WriteJsonAsync(stream, 200, JsonSerializer.SerializeToUtf8Bytes(status, CattyJson.Default.AgentStatus), CancellationToken.None);

    private bool Authorized(HttpRequest request)
    {
        if (_token is null)
            return true;
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }
}
