using Catty.Server.Accounts;
using Catty.Server.Storage;

namespace Catty.Server.Audit;

/// <summary>Writes audit events. Callers pass names, labels and reasons only, never a credential or a secret.</summary>
internal sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditLog> logger)
{
    private const int MaxDetail = 400;

    /// <summary>Records an event of the request in <paramref name="context"/> (its source address).</summary>
    public Task RecordAsync(string kind, Guid? userId, HttpContext? context, string? detail = null, string? email = null) =>
        RecordAsync(kind, userId, context?.Connection.RemoteIpAddress?.ToString(), detail, email);

    /// <summary>Records an event; its own database scope, so a caller's pending changes are not saved with it.</summary>
    public async Task RecordAsync(string kind, Guid? userId, string? sourceAddress, string? detail, string? email)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Kind = kind,
            UserId = userId,
            Email = email is { Length: > EmailAddress.MaxLength } ? email[..EmailAddress.MaxLength] : email,
            SourceAddress = sourceAddress,
            Detail = detail is { Length: > MaxDetail } ? detail[..MaxDetail] : detail,
        });
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Audit {Kind} user {UserId} from {Source}: {Detail}", kind, userId, sourceAddress, detail);
    }
}
