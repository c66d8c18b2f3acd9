using System.Security.Cryptography;
using System.Text.Json;
using Catty.Cli.Commands;
using Catty.Cli.Config;
using Catty.Sdk.Api;

namespace Catty.Cli.Secrets;

/// <summary>Secrets kept on this machine, encrypted, sent as environment variables to new sessions.</summary>
internal sealed class SecretStore(CattyHome files, string home)
{
    public const string FileName = "secrets.json";

    public string FilePath => files.PathOf(FileName);

    /// <summary>The stored names, sorted; no key is needed to list them.</summary>
    public IReadOnlyList<string> Names() => [.. Load()?.Secrets.Keys ?? Enumerable.Empty<string>()];

    /// <summary>Stores (or replaces) a secret after checking its name.</summary>
    public void Set(string name, string value)
    {
        CheckName(name);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliFailure($"the value of {name} contains a NUL character, which an environment variable cannot hold.", "Store the value without it.", ExitCodes.Usage);
        }

        var file = Load() ?? new SecretsFile(SecretsFile.CurrentVersion, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), new SortedDictionary<string, string>(StringComparer.Ordinal));
        file.Secrets[name] = CipherFor(file).Encrypt(name, value);
        Save(file);
    }

    /// <summary>Removes a secret; false when there was none by that name.</summary>
    public bool Remove(string name)
    {
        var file = Load();
        if (file is null || !file.Secrets.Remove(name))
        {
            return false;
        }

        Save(file);
        return true;
    }

    /// <summary>Every secret decrypted, for a new session.</summary>
    public Dictionary<string, string> DecryptAll()
    {
        var file = Load();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is null || file.Secrets.Count == 0)
        {
            return values;
        }

        var cipher = CipherFor(file);
        var unreadable = new List<string>();
        foreach (var (name, stored) in file.Secrets)
        {
            if (cipher.Decrypt(name, stored) is { } value)
            {
                values[name] = value;
            }
            else
            {
                unreadable.Add(name);
            }
        }

        if (unreadable.Count > 0)
        {
            throw new CliFailure(
                $"the stored secret{(unreadable.Count == 1 ? "" : "s")} {string.Join(", ", unreadable)} cannot be decrypted on this machine (secrets are bound to the machine and account that stored them).",
                $"Store {(unreadable.Count == 1 ? "it" : "them")} again with `catty secrets add <name>`, remove {(unreadable.Count == 1 ? "it" : "them")} with `catty secrets remove <name>`, or start the session with --no-secrets.");
        }

        return values;
    }

    public static void CheckName(string name)
    {
        if (!SecretNames.IsEnvironmentName(name))
        {
            throw new CliFailure(
                $"'{name}' is not an environment variable name.",
                "Use letters, digits and '_', not starting with a digit (e.g. GITHUB_TOKEN).",
                ExitCodes.Usage);
        }

        if (SecretNames.IsReserved(name))
        {
            throw new CliFailure(
                $"the name {name} is reserved: {SecretNames.ReservedList} are set by Catty itself.",
                "Choose another name for this secret.",
                ExitCodes.Usage);
        }

        if (SecretNames.IsSteering(name))
        {
            throw new CliFailure(
                SecretNames.Refusal(name)!,
                "Choose another name for this secret; the server refuses this one too.",
                ExitCodes.Usage);
        }
    }

    private SecretCipher CipherFor(SecretsFile file) => new(MachineKey.Derive(Convert.FromBase64String(file.Salt), home));

    private SecretsFile? Load()
    {
        var bytes = files.Read(FileName);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var file = JsonSerializer.Deserialize(bytes, CliJson.Default.SecretsFile);
            if (file is { Version: SecretsFile.CurrentVersion, Salt.Length: > 0 })
            {
                return file with { Secrets = new SortedDictionary<string, string>(file.Secrets ?? [], StringComparer.Ordinal) };
            }
        }
        catch (JsonException)
        {
        }

        throw new CliFailure($"{FilePath} is damaged or from another version of catty.", "Move it away and store your secrets again with `catty secrets add <name>`.");
    }

    private void Save(SecretsFile file) => files.Write(FileName, JsonSerializer.SerializeToUtf8Bytes(file, CliJson.Files.SecretsFile));
}
