namespace Catty.Server.Storage;

/// <summary>An API token; only its SHA-256 hash is kept.</summary>
internal sealed class ApiToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary>SHA-256 of the token's UTF-8 text.</summary>
    public required byte[] Hash { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null: never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
