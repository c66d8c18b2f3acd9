using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Catty.Server.Storage;

namespace Catty.Server.Push;

/// <summary>
/// The server's VAPID key pair (P-256), made on first use and kept in the data directory (mode 0600) so that
/// browsers' subscriptions, which are bound to the public key, survive restarts. Both halves base64url.
/// </summary>
internal sealed class VapidKeys(DataDirectory dataDirectory)
{
    private readonly Lazy<(string Public, string Private)> _keys = new(() => LoadOrCreate(Path.Combine(dataDirectory.Root, "push-vapid.json")));

    /// <summary>The uncompressed public point (65 bytes), as browsers take it for <c>applicationServerKey</c>.</summary>
    public string PublicKey => _keys.Value.Public;

    /// <summary>The private scalar (32 bytes).</summary>
    public string PrivateKey => _keys.Value.Private;

    private static (string, string) LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var fresh = (Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url.EncodeToString(parameters.D!));
            try
            {
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                JsonSerializer.Serialize(file, new StoredKeys(fresh.Item1, fresh.Item2), PushJson.Default.StoredKeys);
                file.Flush(flushToDisk: true);
                return fresh;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made them first; use theirs.
            }
        }

        using var stream = File.OpenRead(path);
        var stored = JsonSerializer.Deserialize(stream, PushJson.Default.StoredKeys)
            ?? throw new InvalidOperationException($"{path} holds no VAPID keys.");
        return (stored.PublicKey, stored.PrivateKey);
    }
}

/// <summary>The VAPID key file's content.</summary>
internal sealed record StoredKeys(string PublicKey, string PrivateKey);

[System.Text.Json.Serialization.JsonSerializable(typeof(StoredKeys))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PushPayload))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class PushJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
