using System.Globalization;
using System.Text;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Snapshots;

/// <summary>
/// The <c>stored_blobs</c> rows that say which contents the blob store already holds, read and written in
/// bulk: a first snapshot asks about and adds thousands at once.
/// </summary>
internal static class StoredBlobRows
{
    private const int RowsPerStatement = 500;

    /// <summary>Which of <paramref name="sha256s"/> are stored.</summary>
    public static async Task<HashSet<string>> KnownAsync(CattyDbContext db, IReadOnlyCollection<string> sha256s, CancellationToken ct)
    {
        if (sha256s.Count == 0)
        {
            return [];
        }

        // The whole list as one parameter (a JSON array with SQLite): EF's default of one parameter per value
        // takes over a second for 10,000 hashes, this about a tenth of that.
        var list = sha256s.ToList();
        var known = await db.StoredBlobs.AsNoTracking().Where(b => EF.Parameter(list).Contains(b.Sha256)).Select(b => b.Sha256).ToListAsync(ct);
        return known.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Marks contents a snapshot is about to rely on as just used, so a reclamation running elsewhere
    /// (another server on the same store) leaves them for its grace period.
    /// </summary>
    public static async Task TouchAsync(CattyDbContext db, IReadOnlyCollection<string> sha256s, DateTimeOffset now, CancellationToken ct)
    {
        if (sha256s.Count == 0)
        {
            return;
        }

        var list = sha256s.ToList();
        await db.StoredBlobs.Where(b => EF.Parameter(list).Contains(b.Sha256)).ExecuteUpdateAsync(s => s.SetProperty(b => b.StoredAt, now), ct);
    }

    /// <summary>
    /// Records contents as stored, in the caller's transaction; a row another session added meanwhile is left
    /// as it is (<c>ON CONFLICT DO NOTHING</c>, which SQLite and PostgreSQL both know). Tracked inserts would
    /// take seconds for a first snapshot of 10,000 files.
    /// </summary>
    public static async Task AddAsync(CattyDbContext db, IReadOnlyList<string> sha256s, DateTimeOffset storedAt, CancellationToken ct)
    {
        if (sha256s.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(StoredBlob))!;
        var sha = entity.FindProperty(nameof(StoredBlob.Sha256))!;
        var at = entity.FindProperty(nameof(StoredBlob.StoredAt))!;
        var storedAtValue = at.GetTypeMapping().Converter?.ConvertToProvider(storedAt) ?? storedAt;
        foreach (var chunk in sha256s.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder().Append(CultureInfo.InvariantCulture, $"INSERT INTO \"{entity.GetTableName()}\" (\"{sha.GetColumnName()}\", \"{at.GetColumnName()}\") VALUES ");
            var parameters = new object[chunk.Length + 1];
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}({{{i}}}, {{{chunk.Length}}})");
                parameters[i] = chunk[i];
            }

            parameters[^1] = storedAtValue;
            sql.Append(" ON CONFLICT DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
        }
    }
}
