using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Catty.Server.Auth;

/// <summary>A connect token and when it stops working.</summary>
internal readonly record struct IssuedConnectToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Per-session tokens for the terminal WebSocket: <c>cct_</c> + base64url(session id ‖ expiry ‖ HMAC-SHA256).
/// Nothing is stored; a token is valid for exactly one session until it expires.
/// </summary>
internal sealed class ConnectTokens(ServerKey key, TimeProvider time, IOptions<AuthOptions> options)
{
    public const string Prefix = "cct_";
    private const int IdBytes = 16;
    private const int ExpiryBytes = 8;
    private const int MacBytes = 32;
    private const int PayloadBytes = IdBytes + ExpiryBytes;

    public IssuedConnectToken Issue(Guid sessionId)
    {
        var expiresAt = time.GetUtcNow() + options.Value.ConnectTokenLifetime;
        Span<byte> token = stackalloc byte[PayloadBytes + MacBytes];
        sessionId.TryWriteBytes(token[..IdBytes]);
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(IdBytes, ExpiryBytes), expiresAt.ToUnixTimeSeconds());
        HMACSHA256.HashData(key.Bytes, token[..PayloadBytes], token[PayloadBytes..]);
        return new IssuedConnectToken(Prefix + Base64Url.EncodeToString(token), DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>True when <paramref name="token"/> was issued by this server for <paramref name="sessionId"/> and has not expired.</summary>
    public bool IsValid(string? token, Guid sessionId)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        // TryDecodeFromChars throws on characters outside the alphabet; IsValid answers without throwing.
        var encoded = token.AsSpan(Prefix.Length);
        Span<byte> bytes = stackalloc byte[PayloadBytes + MacBytes];
        if (!Base64Url.IsValid(encoded, out var length) || length != bytes.Length
            || !Base64Url.TryDecodeFromChars(encoded, bytes, out var written) || written != bytes.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key.Bytes, bytes[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[PayloadBytes..]))
        {
            return false;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(IdBytes, ExpiryBytes)));
        return new Guid(bytes[..IdBytes]) == sessionId && time.GetUtcNow() < expiresAt;
    }
}
