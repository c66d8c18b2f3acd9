using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Catty.Server.Tests.Push;

/// <summary>
/// A browser's side of Web Push, written from RFC 8291 and RFC 8188 for the tests: a subscription key pair and
/// auth secret, decryption of an <c>aes128gcm</c> body, and the check of a VAPID <c>Authorization</c> header.
/// </summary>
internal sealed class WebPushReceiver : IDisposable
{
    private readonly ECDiffieHellman _key;

    public WebPushReceiver(ECDiffieHellman key, byte[] authSecret)
    {
        _key = key;
        AuthSecret = authSecret;
        var q = key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    /// <summary>A fresh subscription, as PushManager.subscribe makes one.</summary>
    public static WebPushReceiver Create() => new(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(16));

    /// <summary>A receiver with a given private scalar (the RFC's test vector).</summary>
    public static WebPushReceiver FromPrivate(byte[] d, byte[] authSecret)
    {
        var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        // Importing only D leaves Q to be derived: export and re-import makes both present.
        var full = key.ExportParameters(true);
        key.Dispose();
        return new WebPushReceiver(ECDiffieHellman.Create(full), authSecret);
    }

    public byte[] PublicKey { get; }

    public byte[] AuthSecret { get; }

    public string P256dh => Base64Url.EncodeToString(PublicKey);

    public string Auth => Base64Url.EncodeToString(AuthSecret);

    /// <summary>Decrypts one <c>aes128gcm</c> message body (a single record, as push messages are).</summary>
    public byte[] Decrypt(byte[] body)
    {
        var salt = body.AsSpan(0, 16).ToArray();
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var senderPublic = body.AsSpan(21, idLength).ToArray();
        var record = body.AsSpan(21 + idLength).ToArray();
        if (idLength != 65 || senderPublic[0] != 0x04 || record.Length > recordSize || record.Length < 17)
        {
            throw new CryptographicException("not a single aes128gcm record with a P-256 key id");
        }

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] },
        });
        var shared = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, AuthSecret, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[record.Length - 16];
        using (var aes = new AesGcm(cek, 16))
        {
            aes.Decrypt(nonce, record.AsSpan(0, plain.Length), record.AsSpan(plain.Length), plain);
        }

        // The last record ends with the delimiter 2, then any padding zeros.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
        {
            end--;
        }

        if (end < 0 || plain[end] != 2)
        {
            throw new CryptographicException("the record has no final delimiter");
        }

        return plain[..end];
    }

    /// <summary>
    /// Checks <c>Authorization: vapid t=JWT, k=KEY</c> (RFC 8292): an ES256 JWT signed by <c>k</c>, for the
    /// audience <paramref name="origin"/>, not expired and at most 24 h ahead, with a subject. Returns <c>k</c>.
    /// </summary>
    public static string VerifyVapid(string? authorization, string origin, DateTimeOffset now)
    {
        if (authorization is null || !authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            throw new CryptographicException($"not a vapid Authorization header: {authorization}");
        }

        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var jwt = parts["t"].Split('.');
        var key = Base64Url.DecodeFromChars(parts["k"]);
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = key[1..33], Y = key[33..65] },
        });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256))
        {
            throw new CryptographicException("the VAPID signature does not verify");
        }

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[1]));
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        if (header.RootElement.GetProperty("alg").GetString() != "ES256"
            || claims.RootElement.GetProperty("aud").GetString() != origin
            || exp <= now || exp > now.AddHours(24).AddMinutes(1)
            || string.IsNullOrEmpty(claims.RootElement.GetProperty("sub").GetString()))
        {
            throw new CryptographicException($"bad VAPID claims: {claims.RootElement}");
        }

        return parts["k"];
    }

    public void Dispose() => _key.Dispose();
}
