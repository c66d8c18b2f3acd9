using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Catty.Sdk.Api;

/// <summary>Device login, token refresh and logout, personal tokens, invites, tickets and the owner's views.</summary>
public sealed partial class CattyClient
{
    /// <summary>Sends <paramref name="token"/> as the Bearer token from now on (e.g. after a refresh); null sends none.</summary>
    public void UseToken(string? token) =>
        _http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    /// <summary>Starts a device login: <c>POST /v1/auth/device</c>.</summary>
    public Task<DeviceAuthorization> StartDeviceLoginAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/auth/device", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), CattyJson.Default.DeviceAuthorization, ct);

    /// <summary>
    /// One poll of <c>POST /v1/auth/device/token</c>. Pending, denied, expired and <c>slow_down</c> come back as
    /// values (<see cref="DeviceTokenResponse.IsPending"/>, <see cref="DeviceTokenResponse.Error"/>), not exceptions.
    /// </summary>
    public async Task<DeviceTokenResponse> PollDeviceLoginAsync(string deviceCode, CancellationToken ct = default)
    {
        using var response = await _http.PostAsync("v1/auth/device/token",
            JsonContent.Create(new DeviceTokenRequest(deviceCode), CattyJson.Default.DeviceTokenRequest), ct);
        DeviceTokenResponse? answer = null;
        try
        {
            answer = await response.Content.ReadFromJsonAsync(CattyJson.Default.DeviceTokenResponse, ct);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        answer ??= new DeviceTokenResponse(Error: "http_" + (int)response.StatusCode, Message: response.ReasonPhrase ?? "no answer");
        return answer with { RetryAfter = RetryAfterOf(response) };
    }

    /// <summary>Trades a refresh token for new tokens: <c>POST /v1/auth/refresh</c>. The old refresh token is spent.</summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/auth/refresh", JsonContent.Create(new RefreshRequest(refreshToken), CattyJson.Default.RefreshRequest),
            CattyJson.Default.TokenResponse, ct);

    /// <summary>Ends the login of the current Bearer token (its access and refresh tokens stop working): <c>POST /v1/auth/logout</c>.</summary>
    public Task<LogoutResponse> LogoutAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/auth/logout", null, CattyJson.Default.LogoutResponse, ct);

    /// <summary>Who the caller is: <c>GET /v1/auth/me</c>.</summary>
    public Task<MeResponse> GetMeAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/auth/me", null, CattyJson.Default.MeResponse, ct);

    /// <summary>Sets or changes the caller's password: <c>POST /v1/auth/password</c>.</summary>
    public async Task SetPasswordAsync(SetPasswordRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PostAsync("v1/auth/password", JsonContent.Create(request, CattyJson.Default.SetPasswordRequest), ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Creates a personal API token: <c>POST /v1/tokens</c>.</summary>
    public Task<CreatedApiToken> CreateTokenAsync(CreateApiTokenRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/tokens", JsonContent.Create(request, CattyJson.Default.CreateApiTokenRequest), CattyJson.Default.CreatedApiToken, ct);

    /// <summary>The caller's personal API tokens: <c>GET /v1/tokens</c>.</summary>
    public Task<List<ApiTokenInfo>> ListTokensAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/tokens", null, CattyJson.Default.ListApiTokenInfo, ct);

    /// <summary>Revokes one of the caller's API tokens: <c>DELETE /v1/tokens/{id}</c>.</summary>
    public async Task RevokeTokenAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync($"v1/tokens/{id:D}", ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Invites someone (owner only): <c>POST /v1/invites</c>.</summary>
    public Task<InviteResponse> CreateInviteAsync(CreateInviteRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "v1/invites", JsonContent.Create(request, CattyJson.Default.CreateInviteRequest), CattyJson.Default.InviteResponse, ct);

    /// <summary>A single-use ticket for a browser to open the session's terminal: <c>POST /v1/sessions/{id-or-label}/ticket</c>.</summary>
    public Task<TicketResponse> CreateTicketAsync(string idOrLabel, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(idOrLabel)}/ticket", null, CattyJson.Default.TicketResponse, ct);

    /// <summary>The agents this server knows and whether each is installed: <c>GET /v1/agents</c>.</summary>
    public Task<List<AgentInfo>> ListAgentsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/agents", null, CattyJson.Default.ListAgentInfo, ct);

    /// <summary>The audit log, newest first (owner only): <c>GET /v1/audit</c>.</summary>
    public Task<List<AuditEventInfo>> ListAuditAsync(int? limit = null, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"v1/audit{(limit is { } n ? $"?limit={n}" : "")}", null, CattyJson.Default.ListAuditEventInfo, ct);

    /// <summary>Everyone's sessions (owner only): <c>GET /v1/admin/sessions</c>.</summary>
    public Task<List<AdminSessionInfo>> ListAllSessionsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "v1/admin/sessions", null, CattyJson.Default.ListAdminSessionInfo, ct);
}
