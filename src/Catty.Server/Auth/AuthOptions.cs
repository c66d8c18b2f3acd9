namespace Catty.Server.Auth;

/// <summary>Sign-in and token settings, bound from <c>Catty:Auth</c>.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Catty:Auth";

    /// <summary>
    /// When set, the owner's API token (must start with <c>catty_</c>, at least 32 characters); lets scripts and
    /// containers start without reading the console. Idempotent across restarts. Default: none.
    /// </summary>
    public string? BootstrapToken { get; set; }

    /// <summary>Email of the owner account created on first start. Default <c>owner@localhost</c>.</summary>
    public string OwnerEmail { get; set; } = "owner@localhost";

    /// <summary>How long a printed sign-in link works. Default 15 minutes.</summary>
    public TimeSpan SignInCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a browser stays signed in without using the server. Default 30 days.</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a session's connect token is valid. Default 1 hour.</summary>
    public TimeSpan ConnectTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Sign-in attempts (password or link) allowed per client address per minute. Default 10.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Failed password attempts allowed per account per 15 minutes before it is throttled. Default 10.</summary>
    public int FailedSignInsPerAccount { get; set; } = 10;

    /// <summary>How long a device-login access token works. Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an unused refresh token works (each refresh issues a new one). Default 30 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a device login waits for approval. Default 10 minutes.</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Seconds a CLI waits between device-login polls; faster polls get <c>slow_down</c>. Default 5 s.</summary>
    public TimeSpan DevicePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Device-login codes one client address may ask for per minute (429 with Retry-After past it). Default 20.</summary>
    public int DeviceCodesPerMinute { get; set; } = 20;

    /// <summary>How long a terminal WebSocket ticket works. Default 30 s.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an invite link works unless the owner says otherwise. Default 72 hours.</summary>
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromHours(72);
}
