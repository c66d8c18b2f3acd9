using System.Text.Json;
using Catty.Cli.Commands;
using Catty.Cli.Config;

namespace Catty.Cli.Auth;

/// <summary>
/// Reads and writes <c>~/.catty/credentials.json</c> (mode 0600, see <see cref="CattyHome"/>). Changes are made
/// under <see cref="LockAsync"/>, so two catty processes never renew the same sign-in twice (a refresh token is
/// single-use: presenting a spent one ends the whole sign-in) nor lose each other's writes.
/// </summary>
internal sealed class CredentialStore(CattyHome home)
{
    public const string FileName = "credentials.json";
    private const string LockName = "credentials.lock";

    public string FilePath => home.PathOf(FileName);

    public CredentialsFile Load()
    {
        var bytes = home.Read(FileName);
        if (bytes is null)
        {
            return CredentialsFile.Empty;
        }

        try
        {
            var file = JsonSerializer.Deserialize(bytes, CliJson.Default.CredentialsFile);
            if (file is { Version: CredentialsFile.CurrentVersion })
            {
                return file with { Servers = new Dictionary<string, ServerCredentials>(file.Servers ?? [], StringComparer.Ordinal) };
            }
        }
        catch (JsonException)
        {
        }

        throw new CliFailure($"{FilePath} is damaged or from another version of catty.", "Delete it and sign in again with `catty login`.");
    }

    public ServerCredentials? Get(Uri server) => Load().Servers.GetValueOrDefault(ApiAddress.Key(server));

    /// <summary>Held while reading, changing and writing the file; released on dispose.</summary>
    public async Task<IDisposable> LockAsync() => await home.LockAsync(LockName);

    /// <summary>Stores <paramref name="credentials"/> for <paramref name="server"/>; a sign-in also makes it the default server.</summary>
    public void Put(Uri server, ServerCredentials credentials, bool makeDefault = true)
    {
        var file = Load();
        var key = ApiAddress.Key(server);
        file.Servers[key] = credentials;
        Save(makeDefault ? file with { DefaultServer = key } : file);
    }

    /// <summary>Forgets <paramref name="server"/>'s credentials; the file goes when it holds no server.</summary>
    public bool Remove(Uri server)
    {
        var file = Load();
        var key = ApiAddress.Key(server);
        if (!file.Servers.Remove(key))
        {
            return false;
        }

        if (file.Servers.Count == 0)
        {
            home.Delete(FileName);
            return true;
        }

        Save(file with { DefaultServer = file.DefaultServer == key ? file.Servers.Keys.First() : file.DefaultServer });
        return true;
    }

    private void Save(CredentialsFile file) =>
        home.Write(FileName, JsonSerializer.SerializeToUtf8Bytes(file, CliJson.Files.CredentialsFile));
}
