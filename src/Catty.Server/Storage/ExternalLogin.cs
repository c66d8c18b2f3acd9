namespace Catty.Server.Storage;

/// <summary>An account at an OpenID Connect provider bound to a user, by issuer and subject (never by email).</summary>
internal sealed class ExternalLogin
{
    public required string Issuer { get; set; }

    public required string Subject { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The configured provider name it came through.</summary>
    public required string Provider { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
