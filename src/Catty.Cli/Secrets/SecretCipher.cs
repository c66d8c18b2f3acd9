using System.Security.Cryptography;
using System.Text;

namespace Catty.Cli.Secrets;

/// <summary>
/// AES-256-GCM with a fresh 96-bit nonce per value, written as <c>v1:&lt;iv&gt;:&lt;tag&gt;:&lt;ciphertext&gt;</c>
/// (base64). The secret's name is authenticated with it, so a value moved to another name does not decrypt.
/// </summary>
internal sealed class SecretCipher(byte[] key)
{
    public const string Prefix = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string Encrypt(string name, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(name));
        }

        CryptographicOperations.ZeroMemory(plain);
        return $"{Prefix}:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(tag)}:{Convert.ToBase64String(cipher)}";
    }

    /// <summary>The value, or null when it is malformed or was not encrypted under this key (another machine).</summary>
    public string? Decrypt(string name, string stored)
    {
        var parts = stored.Split(':');
        if (parts is not [Prefix, var iv, var tagText, var cipherText])
        {
            return null;
        }

        try
        {
            var nonce = Convert.FromBase64String(iv);
            var tag = Convert.FromBase64String(tagText);
            var cipher = Convert.FromBase64String(cipherText);
            if (nonce.Length != NonceBytes || tag.Length != TagBytes)
            {
                return null;
            }

            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(name));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
