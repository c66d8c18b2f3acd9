using System.Text.Json.Serialization;

namespace Catty.Sdk.Api;

/// <summary>Answer to <c>POST /v1/auth/device</c>: what the CLI shows and how it polls (RFC 8628).</summary>
/// <param name="DeviceCode">Secret the CLI polls with; never shown.</param>
/// <param name="UserCode">What the person confirms on the verification page, e.g. <c>WDJB-MJHT</c>.</param>
/// <param name="VerificationUri">The page where a signed-in person approves.</param>
/// <param name="VerificationUriComplete">The same page with the code filled in.</param>
/// <param name="ExpiresIn">Seconds until the codes expire.</param>
/// <param name="Interval">Seconds to wait between polls.</param>
public sealed record DeviceAuthorization(
    string DeviceCode,
    string UserCode,
    string VerificationUri,
    string VerificationUriComplete,
    int ExpiresIn,
    int Interval);

/// <summary>Body of <c>POST /v1/auth/device/token</c>.</summary>
public sealed record DeviceTokenRequest(string DeviceCode);

/// <summary>
/// Answer to <c>POST /v1/auth/device/token</c>: <c>{pending: true}</c> while waiting (200), <c>{error, message}</c>
/// when denied (<c>access_denied</c>), expired (<c>expired_token</c>) or polled too fast (<c>slow_down</c>, 429),
/// else the tokens and the user.
/// </summary>
public sealed record DeviceTokenResponse(
    bool? Pending = null,
    string? AccessToken = null,
    string? RefreshToken = null,
    int? ExpiresIn = null,
    UserRef? User = null,
    string? Error = null,
    string? Message = null)
{
    /// <summary>Still waiting for the person to approve.</summary>
    [JsonIgnore]
    public bool IsPending => Pending == true && Error is null;

    /// <summary>Approved: the tokens are here.</summary>
    [JsonIgnore]
    public bool IsApproved => AccessToken is not null && RefreshToken is not null;

    /// <summary>With <c>slow_down</c>: the answer's <c>Retry-After</c>, the least a poller waits before asking again.</summary>
    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The signed-in user as the token answers name them.</summary>
public sealed record UserRef(Guid Id, string Email);

/// <summary>Body of <c>POST /v1/auth/refresh</c>.</summary>
public sealed record RefreshRequest(string RefreshToken);

/// <summary>Answer to <c>POST /v1/auth/refresh</c>: a new access token and a new refresh token (the old one is spent).</summary>
/// <param name="ExpiresIn">Seconds the access token is valid.</param>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, UserRef? User = null);

/// <summary>Answer to <c>POST /v1/auth/logout</c>.</summary>
/// <param name="LogoutUrl">Where a browser goes next (<c>/signin</c>).</param>
public sealed record LogoutResponse(string Message, string LogoutUrl);

/// <summary>A user as the account endpoints show them.</summary>
/// <param name="Role"><c>owner</c> or <c>member</c>.</param>
public sealed record UserInfo(Guid Id, string Email, string DisplayName, string Role);

/// <summary>Answer to <c>GET /v1/auth/me</c>.</summary>
/// <param name="CsrfToken">What a cookie-signed-in browser sends as <c>X-CSRF-Token</c> on state changes.</param>
public sealed record MeResponse(UserInfo User, string CsrfToken);

/// <summary>Body of <c>POST /v1/auth/password</c>; <c>current_password</c> is required once a password is set.</summary>
public sealed record SetPasswordRequest(string NewPassword, string? CurrentPassword = null);

/// <summary>Body of <c>POST /v1/tokens</c>.</summary>
/// <param name="ExpiresInDays">Null: the token does not expire.</param>
public sealed record CreateApiTokenRequest(string Name, int? ExpiresInDays = null);

/// <summary>Answer to <c>POST /v1/tokens</c>; <c>token</c> is shown this once (only its hash is kept).</summary>
public sealed record CreatedApiToken(Guid Id, string Name, string Token, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null);

/// <summary>One personal API token as <c>GET /v1/tokens</c> lists it (never the token itself).</summary>
public sealed record ApiTokenInfo(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null);

/// <summary>Body of <c>POST /v1/invites</c> (owner only).</summary>
/// <param name="Email">The address the account must use; null lets the invited person choose.</param>
/// <param name="ExpiresInHours">How long the link works; default 72.</param>
public sealed record CreateInviteRequest(string? Email = null, int? ExpiresInHours = null);

/// <summary>Answer to <c>POST /v1/invites</c>: the single-use link to hand over.</summary>
public sealed record InviteResponse(string InviteUrl, DateTimeOffset ExpiresAt, string? Email = null);

/// <summary>Answer to <c>POST /v1/sessions/{id-or-label}/ticket</c>: open <c>connect_url + "?ticket=" + ticket</c> within <c>expires_in</c> seconds, once.</summary>
public sealed record TicketResponse(string Ticket, int ExpiresIn, string ConnectUrl);

/// <summary>One agent the server knows (<c>GET /v1/agents</c>).</summary>
public sealed record AgentInfo(string Name, bool Installed);

/// <summary>One audit event (<c>GET /v1/audit</c>, owner only).</summary>
/// <param name="Kind">e.g. <c>sign_in</c>, <c>sign_in_failed</c>, <c>device_approved</c>, <c>token_created</c>, <c>session_created</c>.</param>
public sealed record AuditEventInfo(long Id, DateTimeOffset At, string Kind, Guid? UserId = null, string? Email = null, string? SourceAddress = null, string? Detail = null);

/// <summary>A session in the owner's admin view (<c>GET /v1/admin/sessions</c>), with whose it is.</summary>
public sealed record AdminSessionInfo(
    Guid SessionId,
    string Label,
    string Status,
    string Region,
    string Agent,
    DateTimeOffset CreatedAt,
    UserRef Owner,
    DateTimeOffset? StoppedAt = null);
