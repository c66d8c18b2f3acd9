using System.Globalization;
using Catty.Server.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Storage;

/// <summary>
/// The per-user storage quota (<see cref="StorageOptions.QuotaMb"/>). A user's usage is the workspace content
/// their sessions' newest snapshots hold (uncompressed, as <c>total_bytes</c> reports it): content blobs are
/// shared between snapshots and users, so what one user "owns" is what they would download. Checks refuse
/// what would add to a full quota; they never delete anything already stored.
/// </summary>
internal sealed class StorageQuota(IOptions<StorageOptions> options)
{
    /// <summary>Bytes the user's sessions hold, leaving out <paramref name="exceptSession"/> when given.</summary>
    public static async Task<long> UsageAsync(CattyDbContext db, Guid userId, Guid? exceptSession, CancellationToken ct)
    {
        var rows = await db.Snapshots.AsNoTracking()
            .Where(s => db.Sessions.Any(session => session.Id == s.SessionId && session.OwnerId == userId && session.Id != exceptSession))
            .Select(s => new { s.SessionId, s.Seq, s.TotalBytes })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.SessionId).Sum(g => g.MaxBy(r => r.Seq)!.TotalBytes);
    }

    /// <summary>
    /// Null when <paramref name="adding"/> more bytes fit beside <paramref name="usage"/>, else the 402
    /// <c>quota_exceeded</c> naming the quota and the usage. With nothing to add, a full quota refuses.
    /// </summary>
    public ErrorResult? Check(long usage, long adding, string what)
    {
        if (options.Value.QuotaBytes is not { } quota || (adding > 0 ? usage + adding <= quota : usage < quota))
        {
            return null;
        }

        return Errors.QuotaExceeded(
            $"Storage quota reached: {Megabytes(usage)} MB of {options.Value.QuotaMb} MB used{(adding > 0 ? $", and {what} adds {Megabytes(adding)} MB" : "")} "
            + "(Catty:Storage:QuotaMb). Nothing stored was removed; delete sessions you no longer need (catty stop <label> --delete) to make room.");
    }

    /// <summary>Whether a quota applies at all.</summary>
    public bool Enabled => options.Value.QuotaBytes is not null;

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture);
}
