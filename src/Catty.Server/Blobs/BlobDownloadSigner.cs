using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Catty.Server.Blobs;

/// <summary>
/// Short-lived download links for stores that cannot presign (the folder store): the query string
/// carries an expiry and an HMAC-SHA256 over the key and that expiry, so the endpoint that serves the
/// object needs no lookup and the link cannot be bent to another key or a later time.
/// </summary>
internal sealed class BlobDownloadSigner
{
    /// <summary>Query parameter holding the expiry, in Unix seconds.</summary>
    public const string ExpiresParameter = "expires";

    /// <summary>Query parameter holding the signature, base64url without padding.</summary>
    public const string SignatureParameter = "sig";

    /// <summary>Shortest accepted secret, in bytes.</summary>
    public const int MinSecretLength = 32;

    // Separates these MACs from any other use of the same secret.
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("catty-blob-download-v1\n");

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    /// <summary>Creates a signer over <paramref name="secret"/> (at least <see cref="MinSecretLength"/> bytes).</summary>
    public BlobDownloadSigner(ReadOnlySpan<byte> secret, TimeProvider time)
    {
        if (secret.Length < MinSecretLength)
        {
            throw new ArgumentException($"The signing secret must have at least {MinSecretLength} bytes.", nameof(secret));
        }

        ArgumentNullException.ThrowIfNull(time);
        _secret = secret.ToArray();
        _time = time;
    }

    /// <summary>
    /// The query string (without '?') that grants a download of <paramref name="key"/> until
    /// <paramref name="expiresAt"/>, truncated to whole seconds: <c>expires=…&amp;sig=…</c>.
    /// </summary>
    public string Sign(string key, DateTimeOffset expiresAt)
    {
        BlobKey.Validate(key);
        var expires = expiresAt.ToUnixTimeSeconds();
        return $"{ExpiresParameter}={expires.ToString(CultureInfo.InvariantCulture)}&{SignatureParameter}={Base64Url.EncodeToString(Mac(key, expires))}";
    }

    /// <summary>The query string that grants a download of <paramref name="key"/> for <paramref name="lifetime"/> from now.</summary>
    public string Sign(string key, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        return Sign(key, _time.GetUtcNow() + lifetime);
    }

    /// <summary>
    /// Whether the <paramref name="expires"/> and <paramref name="signature"/> query values grant a
    /// download of <paramref name="key"/> at <paramref name="now"/>. Never throws on malformed input:
    /// every value here comes from a URL anyone can type.
    /// </summary>
    public bool TryVerify(string? key, string? expires, string? signature, DateTimeOffset now)
    {
        if (key is null || expires is null || signature is null || !BlobKey.IsValid(key))
        {
            return false;
        }

        // Only the canonical spelling is accepted: no leading zero, no sign, no spaces, so one expiry
        // has exactly one link and a link cannot be re-spelled into a different-looking valid one.
        if (expires.Length is 0 or > 19 || expires[0] == '0'
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return false;
        }

        if (now.ToUnixTimeSeconds() >= expiresAt)
        {
            return false;
        }

        // The signature is compared as text against the canonical encoding of the expected MAC rather
        // than decoded: Base64Url's decoder throws on characters outside its alphabet, and it maps
        // several spellings of the last character (its unused low bits) to the same bytes.
        var expected = Base64Url.EncodeToString(Mac(key, expiresAt));
        return signature.Length == expected.Length
            && CryptographicOperations.FixedTimeEquals(
                MemoryMarshal.AsBytes(signature.AsSpan()), MemoryMarshal.AsBytes(expected.AsSpan()));
    }

    /// <summary>Like <see cref="TryVerify(string?, string?, string?, DateTimeOffset)"/> at the current time.</summary>
    public bool TryVerify(string? key, string? expires, string? signature) =>
        TryVerify(key, expires, signature, _time.GetUtcNow());

    private byte[] Mac(string key, long expires)
    {
        var message = new byte[Purpose.Length + Encoding.ASCII.GetByteCount(key) + 1 + 20];
        Purpose.CopyTo(message, 0);
        var length = Purpose.Length;
        length += Encoding.ASCII.GetBytes(key, message.AsSpan(length));
        message[length++] = (byte)'\n';
        length += Encoding.ASCII.GetBytes(expires.ToString(CultureInfo.InvariantCulture), message.AsSpan(length));
        return HMACSHA256.HashData(_secret, message.AsSpan(0, length));
    }
}
