namespace Catty.Server.Sessions;

/// <summary>Limits on session creation, bound from <c>Catty:Sessions</c>.</summary>
internal sealed class SessionOptions
{
    public const string Section = "Catty:Sessions";

    /// <summary>Lifetime when a request sends no <c>ttl_sec</c>. Default 1 hour.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Shortest <c>ttl_sec</c> accepted. Default 60 s.</summary>
    public TimeSpan MinTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest <c>ttl_sec</c> accepted. Default 24 hours.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far ahead of now <c>POST /v1/sessions/{id}/extend</c> may move a deadline (400 <c>extend_too_long</c> past it). Default 8 hours.</summary>
    public TimeSpan MaxExtendAhead { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sessions one user may have starting or running at once (402 <c>quota_exceeded</c> past it; 0: no limit). Default 20.</summary>
    public int MaxRunningPerUser { get; set; } = 20;

    /// <summary>Sessions one user may create per minute (429 with Retry-After past it). Default 30.</summary>
    public int CreatesPerMinute { get; set; } = 30;

    /// <summary>Secrets per session. Default 100.</summary>
    public int MaxSecrets { get; set; } = 100;

    /// <summary>Largest <c>POST /v1/sessions</c> body in bytes (413 past it). Default 1 MiB.</summary>
    public long MaxCreateBodyBytes { get; set; } = 1024 * 1024;
}
