namespace Catty.Server.Storage;

/// <summary>One security-relevant event: who, when, from where, and what (never a secret).</summary>
internal sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>An <see cref="Audit.AuditKinds"/> value.</summary>
    public required string Kind { get; set; }

    public Guid? UserId { get; set; }

    /// <summary>The address involved, e.g. the one a failed sign-in tried.</summary>
    public string? Email { get; set; }

    public string? SourceAddress { get; set; }

    /// <summary>A label, a token's name, a reason; never a token, password or secret value.</summary>
    public string? Detail { get; set; }
}
