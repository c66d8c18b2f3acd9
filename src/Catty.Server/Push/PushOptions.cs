namespace Catty.Server.Push;

/// <summary>Web Push, bound from <c>Catty:Push</c>.</summary>
internal sealed class PushOptions
{
    public const string Section = "Catty:Push";

    /// <summary>The push services of Chrome, Firefox, Safari and Edge.</summary>
    public static readonly IReadOnlyList<string> BrowserPushServices =
    [
        "https://fcm.googleapis.com/",
        "https://updates.push.services.mozilla.com/",
        "https://web.push.apple.com/",
        "https://*.notify.windows.com/",
    ];

    /// <summary>
    /// URL prefixes the server may post pushes to; a subscription whose endpoint starts with none of them is
    /// refused, so a subscription cannot make the server call anything else. A host may start with <c>*.</c>
    /// to stand for any subdomain. Empty (the default): <see cref="BrowserPushServices"/>. A configured list
    /// replaces the defaults (a default list here would only be added to by configuration).
    /// </summary>
    public List<string> AllowedEndpoints { get; set; } = [];

    /// <summary>The prefixes in force.</summary>
    public IReadOnlyList<string> EffectiveAllowedEndpoints => AllowedEndpoints.Count > 0 ? AllowedEndpoints : BrowserPushServices;

    /// <summary>The VAPID contact (<c>mailto:</c> or <c>https:</c>); default the server's public URL, else a mailto at localhost.</summary>
    public string? Subject { get; set; }

    /// <summary>How long a push service keeps an undelivered message, in seconds. Default 1 hour.</summary>
    public int TimeToLiveSeconds { get; set; } = 3600;

    /// <summary>How long one delivery may take. Default 10 s.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Subscriptions one user may keep (one per browser). Default 20.</summary>
    public int MaxSubscriptionsPerUser { get; set; } = 20;

    /// <summary>How long a dashboard page's "I show this session" counts without being repeated. Default 90 s (pages repeat it every 30 s).</summary>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long before a session's auto-stop the <c>expiring</c> push goes out. Default 10 minutes.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The least time between two pushes of the same event for the same session, so a session whose state
    /// flips fast cannot flood its owner's devices. Default 30 s.
    /// </summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(30);
}
