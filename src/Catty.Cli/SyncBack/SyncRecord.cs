using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Catty.Cli.Config;

namespace Catty.Cli.SyncBack;

/// <summary>
/// What <c>~/.catty</c> remembers about one session for sync-back, in <c>sync-&lt;hash of server and label&gt;.json</c>:
/// the folder it belongs to (where it was created or last chosen with <c>--sync-to</c>, as a real path) and,
/// per file, the SHA-256 of what the upload or sync-back last put there. A remote deletion removes a local
/// file only while its content still has that hash; anything changed here since is kept.
/// </summary>
internal sealed class SyncRecord
{
    private readonly CattyHome? _home;
    private readonly string _fileName;
    private readonly SyncRecordFile _file;

    private SyncRecord(CattyHome? home, string fileName, SyncRecordFile file)
    {
        _home = home;
        _fileName = fileName;
        _file = file;
    }

    /// <summary>The folder's real path.</summary>
    public string Folder => _file.Folder;

    /// <summary>The session's record, or null when this machine has none (or it cannot be read).</summary>
    public static SyncRecord? Load(CattyHome home, Uri server, string label)
    {
        var name = FileName(server, label);
        var bytes = home.Read(name);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var file = JsonSerializer.Deserialize(bytes, CliJson.Default.SyncRecordFile);
            if (file is { Version: SyncRecordFile.CurrentVersion, Folder.Length: > 0 } && file.Label == label && file.Server == server.ToString())
            {
                return new SyncRecord(home, name, file with { Files = new SortedDictionary<string, string>(file.Files ?? [], StringComparer.Ordinal) });
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>A new record tying <paramref name="label"/> to <paramref name="folder"/>, with the hashes of what was uploaded from it; saved at once.</summary>
    public static SyncRecord Create(CattyHome home, Uri server, string label, string folder, IReadOnlyDictionary<string, string>? uploaded)
    {
        var record = new SyncRecord(home, FileName(server, label), new SyncRecordFile(
            SyncRecordFile.CurrentVersion, server.ToString(), label, folder,
            new SortedDictionary<string, string>(uploaded?.ToDictionary() ?? [], StringComparer.Ordinal)));
        record.Save();
        return record;
    }

    /// <summary>A record kept in memory only (nothing is saved), for a folder chosen without a session label to remember.</summary>
    public static SyncRecord InMemory(string folder) =>
        new(null, "", new SyncRecordFile(SyncRecordFile.CurrentVersion, "", "", folder, new SortedDictionary<string, string>(StringComparer.Ordinal)));

    /// <summary>The hash of what catty last put at <paramref name="path"/>, or null.</summary>
    public string? HashOf(string path) => _file.Files!.GetValueOrDefault(path);

    public void Wrote(string path, string sha256) => _file.Files![path] = sha256;

    public void Forget(string path) => _file.Files!.Remove(path);

    public void Save() => _home?.Write(_fileName, JsonSerializer.SerializeToUtf8Bytes(_file, CliJson.Files.SyncRecordFile));

    /// <summary>SHA-256 of <paramref name="content"/>, lowercase hex.</summary>
    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static string FileName(Uri server, string label) =>
        $"sync-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(server + "\n" + label)))[..32]}.json";
}

/// <summary>The on-disk shape of a <see cref="SyncRecord"/>.</summary>
internal sealed record SyncRecordFile(int Version, string Server, string Label, string Folder, SortedDictionary<string, string>? Files)
{
    public const int CurrentVersion = 1;
}
