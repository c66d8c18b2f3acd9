namespace Catty.Server.Storage;

/// <summary>
/// A secret key every replica must hold the same copy of (the connect-token HMAC key, the device-login signing key),
/// kept in the metadata store when it is shared (PostgreSQL). The first replica to need it creates it.
/// </summary>
internal sealed class SharedKey
{
    /// <summary>What the key is for (<c>server-hmac</c>, <c>token-signing</c>).</summary>
    public required string Name { get; set; }

    public required byte[] Value { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
