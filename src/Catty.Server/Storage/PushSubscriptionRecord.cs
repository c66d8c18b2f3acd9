namespace Catty.Server.Storage;

/// <summary>One browser's Web Push subscription, owned by a user, with the events it wants and the last delivery's result.</summary>
internal sealed class PushSubscriptionRecord
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The push service URL the browser gave (checked against <c>Catty:Push:AllowedEndpoints</c>).</summary>
    public required string Endpoint { get; set; }

    /// <summary>The browser's P-256 public key, base64url.</summary>
    public required string P256dh { get; set; }

    /// <summary>The browser's 16-byte auth secret, base64url.</summary>
    public required string Auth { get; set; }

    /// <summary>The <see cref="Push.PushEvents"/> it wants, comma-separated.</summary>
    public required string Events { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the server last tried to deliver to it.</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>A <see cref="Push.PushOutcome"/> name, in snake_case, of the last try.</summary>
    public string? LastOutcome { get; set; }

    /// <summary>The push service's HTTP status of the last try, when it answered.</summary>
    public int? LastStatus { get; set; }

    /// <summary>When a push was last accepted by the push service.</summary>
    public DateTimeOffset? LastDeliveredAt { get; set; }
}
