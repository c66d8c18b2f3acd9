namespace Catty.Server.Storage;

/// <summary>A one-time browser sign-in code; only its SHA-256 hash is kept.</summary>
internal sealed class SignInCode
{
    public required byte[] Hash { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
