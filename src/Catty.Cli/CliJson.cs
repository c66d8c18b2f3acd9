using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Catty.Cli.Auth;
using Catty.Cli.Secrets;

namespace Catty.Cli;

/// <summary>Source-generated JSON for the CLI's own files (the wire contracts are the SDK's): snake_case like the API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CredentialsFile))]
[JsonSerializable(typeof(SecretsFile))]
[JsonSerializable(typeof(SyncBack.SyncRecordFile))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>
    /// For catty's own files: base64's '+' and '/' written as they are, so a stored secret reads
    /// <c>v1:&lt;iv&gt;:&lt;tag&gt;:&lt;ciphertext&gt;</c> literally rather than with <c>\u002B</c> escapes.
    /// </summary>
    public static CliJson Files { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
