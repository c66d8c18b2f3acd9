namespace Catty.Server.Storage;

/// <summary>A single-use, expiring invitation to create an account; only the SHA-256 of its secret is kept.</summary>
internal sealed class Invite
{
    public required byte[] Hash { get; set; }

    /// <summary>The address the owner invited; null lets the invited person choose one.</summary>
    public string? Email { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>The account the invite created.</summary>
    public Guid? UsedBy { get; set; }
}
