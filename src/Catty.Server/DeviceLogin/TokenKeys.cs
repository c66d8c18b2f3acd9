using System.Security.Cryptography;
using System.Text;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.IdentityModel.Tokens;

namespace Catty.Server.DeviceLogin;

/// <summary>
/// The keys of device-login tokens, kept across restarts so logins survive them: an ECDSA P-256 signing key in the
/// data directory (0600) and an AES-256 encryption key derived from the server key (HKDF), so the token payloads
/// OpenIddict stores are unreadable without it.
/// </summary>
internal sealed class TokenKeys(DataDirectory dataDirectory, ServerKey serverKey)
{
    private readonly Lazy<ECDsaSecurityKey> _signing = new(() => LoadOrCreateSigningKey(dataDirectory.TokenSigningKeyPath));

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

    private static ECDsaSecurityKey LoadOrCreateSigningKey(string path)
    {
        var ecdsa = ECDsa.Create();
        if (File.Exists(path))
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            ecdsa.GenerateKey(ECCurve.NamedCurves.nistP256);
            var pem = ecdsa.ExportPkcs8PrivateKeyPem();
            try
            {
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                file.Write(Encoding.ASCII.GetBytes(pem));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process wrote it first; use theirs.
                ecdsa.ImportFromPem(File.ReadAllText(path));
            }
        }

        var publicKey = ecdsa.ExportSubjectPublicKeyInfo();
        return new ECDsaSecurityKey(ecdsa) { KeyId = Convert.ToHexString(SHA256.HashData(publicKey))[..16] };
    }
}
