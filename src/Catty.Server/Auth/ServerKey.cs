using System.Security.Cryptography;
using Catty.Server.Storage;

namespace Catty.Server.Auth;

/// <summary>
/// The server's HMAC key, kept where <see cref="ISecretKeyStore"/> keeps keys (the data directory, mode 0600, or
/// the shared database) so that connect tokens handed out before a restart, or by another replica, still work.
/// </summary>
internal sealed class ServerKey(ISecretKeyStore store)
{
    /// <summary>The key's name in the store (a file name in the data directory).</summary>
    public const string Name = "server.key";

    private const int KeyBytes = 32;
    private readonly Lazy<byte[]> _key = new(() => Load(store));

    public ReadOnlySpan<byte> Bytes => _key.Value;

    private static byte[] Load(ISecretKeyStore store)
    {
        var key = store.GetOrCreate(Name, () => RandomNumberGenerator.GetBytes(KeyBytes));
        return key.Length == KeyBytes
            ? key
            : throw new InvalidOperationException($"The server key {Name} must hold exactly {KeyBytes} bytes; delete it to make a new one (open sessions then need fresh connect tokens).");
    }
}
