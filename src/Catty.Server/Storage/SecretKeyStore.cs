using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Storage;

/// <summary>
/// Where the server's long-lived secret keys live. One server on SQLite keeps them as files in its data directory
/// (mode 0600); replicas on PostgreSQL keep them in the database, so a token signed by one replica verifies on all.
/// </summary>
internal interface ISecretKeyStore
{
    /// <summary>The key called <paramref name="name"/>; the first caller anywhere creates it with <paramref name="create"/>.</summary>
    byte[] GetOrCreate(string name, Func<byte[]> create);
}

/// <summary>Keys as files in the data directory, created exclusively so that concurrent starts agree.</summary>
internal sealed class FileSecretKeyStore(DataDirectory dataDirectory) : ISecretKeyStore
{
    public byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        var path = Path.Combine(dataDirectory.Root, name);
        if (!File.Exists(path))
        {
            var fresh = create();
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

        return File.ReadAllBytes(path);
    }
}

/// <summary>Keys in the <c>shared_keys</c> table; the primary key makes the first insert win and the others read it.</summary>
internal sealed class DatabaseSecretKeyStore(IServiceScopeFactory scopes, TimeProvider time) : ISecretKeyStore
{
    // Called once per key per process, from places that cannot await (options set-up, a Lazy).
    public byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        if (db.SharedKeys.AsNoTracking().FirstOrDefault(k => k.Name == name) is { } existing)
        {
            return existing.Value;
        }

        var fresh = new SharedKey { Name = name, Value = create(), CreatedAt = time.GetUtcNow() };
        db.SharedKeys.Add(fresh);
        try
        {
            db.SaveChanges();
            return fresh.Value;
        }
        catch (DbUpdateException)
        {
            // Another replica inserted it between the read and the write; theirs is the key.
            db.ChangeTracker.Clear();
            return db.SharedKeys.AsNoTracking().First(k => k.Name == name).Value;
        }
    }
}
