using System.Security.Cryptography;
using System.Text;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.IdentityModel.Tokens;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// The keys of device-login tokens, kept across restarts so logins survive them, and shared by replicas: an ECDSA
/// P-256 signing key in the key store (a 0600 file in the data directory, or the shared database) and an AES-256
/// encryption key derived from the server key (HKDF), so the token payloads OpenIddict stores are unreadable without it.
/// </summary>
internal sealed class TokenKeys(ISecretKeyStore store, ServerKey serverKey)
{
    /// <summary>The signing key's name in the store (a file name in the data directory).</summary>
    public const string SigningKeyName = "token-signing.pem";

    private readonly Lazy<ECDsaSecurityKey> _signing = new(() => LoadOrCreateSigningKey(store));

    public SigningCredentials Signing => new(_signing.Value, SecurityAlgorithms.EcdsaSha256);

    public EncryptingCredentials Encryption
    {
        get
        {
            var bytes = HKDF.DeriveKey(HashAlgorithmName.SHA256, serverKey.Bytes.ToArray(), 32, salt: [], info: Encoding.ASCII.GetBytes("catty token encryption v1"));
            var key = new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
            return new EncryptingCredentials(key, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512);
        }
    }

    private static ECDsaSecurityKey LoadOrCreateSigningKey(ISecretKeyStore store)
    {
        var pem = store.GetOrCreate(SigningKeyName, () =>
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return Encoding.ASCII.GetBytes(fresh.ExportPkcs8PrivateKeyPem());
        });
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Encoding.ASCII.GetString(pem));
        var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
        return new ECDsaSecurityKey(ecdsa) { KeyId = Convert.ToHexString(SHA256.HashData(publicKey))[..16] };
    }
}
