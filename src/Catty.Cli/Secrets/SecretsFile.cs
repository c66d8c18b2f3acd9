namespace Catty.Cli.Secrets;

/// <summary>
/// <c>~/.catty/secrets.json</c>. Names are plain (so <c>catty secrets list</c> needs no key); each value is
/// <c>v1:&lt;iv&gt;:&lt;tag&gt;:&lt;ciphertext&gt;</c>, base64 parts, AES-256-GCM under the machine key.
/// </summary>
/// <param name="Salt">Random, base64; mixed into the machine key so two files never share a key.</param>
/// <param name="Secrets">Name → encrypted value.</param>
internal sealed record SecretsFile(int Version, string Salt, SortedDictionary<string, string> Secrets)
{
    public const int CurrentVersion = 1;
}
