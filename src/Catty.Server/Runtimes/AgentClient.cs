using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;

namespace Catty.Server.Runtimes;

/// <summary>
/// The control plane's side of the catty-agent contract (<see cref="AgentStatus"/> and friends), over the
/// agent's Unix socket or TCP port. An agent that does not answer is an expected outcome: calls return null.
/// </summary>
internal sealed class AgentClient : IDisposable
{
    private readonly HttpClient _http;

    public AgentClient(string endpoint, string? agentToken = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) => await AgentEndpoint.ConnectAsync(endpoint, ct),
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://catty-agent/"), Timeout = Timeout.InfiniteTimeSpan };
        if (agentToken is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        }
    }

    /// <summary><c>GET /status</c>; null when the agent does not answer within <paramref name="timeout"/>.</summary>
    public Task<AgentStatus?> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, "status", null, timeout, cancellationToken);

    /// <summary><c>GET /wait</c>: answers once the program has exited; null when the agent goes away first.</summary>
    public Task<AgentStatus?> WaitAsync(CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, "wait", null, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// <c>GET /attention?after=</c>: the agent's attention state once its version differs from
    /// <paramref name="after"/> (or unchanged after the agent's poll timeout); null when the agent does not answer.
    /// </summary>
    public async Task<AgentAttention?> AttentionAsync(long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync($"attention?after={after}", deadline.Token);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(CattyJson.Default.AgentAttention, deadline.Token)
                : null;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary><c>POST /stop</c>: the agent ends the program's tree, answers its last status, then exits.</summary>
    public Task<AgentStatus?> StopAsync(AgentStopRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, "stop", JsonBody(request), timeout, cancellationToken);

    /// <summary><c>GET /logs</c>: recent terminal output; null when the agent does not answer.</summary>
    public async Task<byte[]?> LogsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync("logs", deadline.Token);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(deadline.Token) : null;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>
    /// <c>POST /upload</c>, streaming <paramref name="body"/> with its length; the agent's answer (status, JSON body)
    /// is passed back as it is. Null when the agent does not answer.
    /// </summary>
    public async Task<(int Status, byte[] Body)?> UploadAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StreamContent(body, 128 * 1024);
            content.Headers.ContentLength = length;
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            using var request = new HttpRequestMessage(HttpMethod.Post, "upload") { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return ((int)response.StatusCode, answer);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>A GET whose response is handed over unread; null when the agent does not answer.</summary>
    public Task<HttpResponseMessage?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendUnreadAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>A POST whose response is handed over unread; null when the agent does not answer.</summary>
    public Task<HttpResponseMessage?> PostAsync(string path, HttpContent content, CancellationToken cancellationToken) =>
        SendUnreadAsync(HttpMethod.Post, path, content, cancellationToken);

    private async Task<HttpResponseMessage?> SendUnreadAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A body with Content-Length: the agent's small HTTP server takes no chunked bodies.</summary>
    private static ByteArrayContent JsonBody(AgentStopRequest request)
    {
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, CattyJson.Default.AgentStopRequest));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return body;
    }

    private async Task<AgentStatus?> CallAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            using var response = await _http.SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(CattyJson.Default.AgentStatus, deadline.Token)
                : null;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>Refused, reset, timed out or garbled: the agent is not there. The caller's own cancellation still throws.</summary>
    private static bool IsUnreachable(Exception ex, CancellationToken callerToken) =>
        !callerToken.IsCancellationRequested
        && ex is HttpRequestException or IOException or SocketException or OperationCanceledException or System.Text.Json.JsonException;
}
