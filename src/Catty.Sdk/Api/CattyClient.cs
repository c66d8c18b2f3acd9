using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Catty.Sdk.Api;

/// <summary>
/// Typed client for the <c>/v1</c> API, used by the CLI, the agent tests and the server tests alike.
/// Failed calls throw <see cref="CattyApiException"/> carrying the server's error code.
/// </summary>
public sealed partial class CattyClient
{
    private readonly HttpClient _http;

    /// <summary>Wraps <paramref name="http"/>, whose BaseAddress is the server root (e.g. http://127.0.0.1:8080/).</summary>
    public CattyClient(HttpClient http, string? token = null)
    {
        _http = http;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The underlying HTTP client.</summary>
    public HttpClient Http => _http;

    /// <summary>Creates a session: <c>POST /v1/sessions</c>.</summary>
    public Task<CreateSessionResponse> CreateSessionAsync(CreateSessionRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/sessions", JsonContent.Create(request, CattyJson.Default.CreateSessionRequest), CattyJson.Default.CreateSessionResponse, ct);

    /// <summary>Lists the caller's sessions: <c>GET /v1/sessions</c>.</summary>
    public Task<List<SessionInfo>> ListSessionsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/sessions", null, CattyJson.Default.ListSessionInfo, ct);

    /// <summary>One session by id or label; <paramref name="live"/> asks its machine.</summary>
    public Task<SessionInfo> GetSessionAsync(string idOrLabel, bool live = false, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}{(live ? "?live=true" : "")}", null, CattyJson.Default.SessionInfo, ct);

    /// <summary>Stops a session; <paramref name="delete"/> also drops its record.</summary>
    public async Task StopSessionAsync(string idOrLabel, bool delete = false, CancellationToken ct = default)
    {
        using var response = await _http.PostAsync($"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/stop{(delete ? "?delete=true" : "")}", null, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>The session's recent terminal output.</summary>
    public async Task<byte[]> GetLogsAsync(string idOrLabel, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync($"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/logs", ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>A link to the newest snapshot (or <paramref name="snapshotId"/>) as <c>.tar.gz</c>.</summary>
    public Task<DownloadResponse> GetDownloadAsync(string idOrLabel, Guid? snapshotId = null, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/download{(snapshotId is { } id ? $"?snapshot={id:D}" : "")}", null, CattyJson.Default.DownloadResponse, ct);

    /// <summary>The session's stored snapshots, oldest first.</summary>
    public Task<List<SnapshotInfo>> ListSnapshotsAsync(string idOrLabel, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/snapshots", null, CattyJson.Default.ListSnapshotInfo, ct);

    /// <summary>Snapshots a running session now; stores nothing when its workspace is unchanged.</summary>
    public Task<TakeSnapshotResponse> TakeSnapshotAsync(string idOrLabel, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/snapshots", null, CattyJson.Default.TakeSnapshotResponse, ct);

    /// <summary>The regions sessions can run in.</summary>
    public Task<List<RegionInfo>> ListRegionsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/regions", null, CattyJson.Default.ListRegionInfo, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct)
            ?? throw new CattyApiException(response.StatusCode, "empty_response", $"{method} {path} answered with no body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ApiError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(CattyJson.Default.ApiError, ct);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        throw new CattyApiException(response.StatusCode, error?.Error ?? "http_" + (int)response.StatusCode, error?.Message ?? response.ReasonPhrase ?? "request failed")
        {
            RetryAfter = RetryAfterOf(response),
        };
    }

    /// <summary>
    /// The answer's <c>Retry-After</c> as a wait (seconds, or a date counted from the answer's own <c>Date</c>
    /// so that a client whose clock is off waits as long as the server meant), if it has one.
    /// </summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (response.Headers.Date ?? DateTimeOffset.UtcNow) is { Ticks: > 0 } left ? left : TimeSpan.Zero,
        _ => null,
    };
}

/// <summary>A <c>/v1</c> call answered with an error.</summary>
public sealed class CattyApiException(HttpStatusCode status, string error, string message) : Exception($"{error}: {message}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The machine-readable code (e.g. <c>not_found</c>).</summary>
    public string Error { get; } = error;

    /// <summary>The human text.</summary>
    public string ApiMessage { get; } = message;

    /// <summary>How long the server asked the caller to wait before trying again (429 answers carry <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
