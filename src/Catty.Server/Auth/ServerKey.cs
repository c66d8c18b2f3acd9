using System.Security.Cryptography;
using Catty.Server.Storage;

namespace Catty.Server.Auth;

/// <summary>
/// The server's HMAC key, kept in the data directory (mode 0600) so that connect tokens
/// handed out before a restart still work after it.
/// </summary>
internal sealed class ServerKey(DataDirectory dataDirectory)
{
    private const int KeyBytes = 32;
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(dataDirectory.ServerKeyPath));

    public ReadOnlySpan<byte> Bytes => _key.Value;

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            try
            {
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                file.Write(fresh);
                file.Flush(flushToDisk: true);
                return fresh;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        var key = File.ReadAllBytes(path);
        return key.Length == KeyBytes
            ? key
            : throw new InvalidOperationException($"{path} must hold exactly {KeyBytes} bytes; delete it to make a new one (open sessions then need fresh connect tokens).");
    }
}
