using System.Security.Claims;
using Catty.Server.Accounts;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Auth;

/// <summary>The authenticated caller, bound as a handler parameter on endpoints that require authentication.</summary>
internal sealed record CurrentUser(Guid Id)
{
    /// <summary>The claim carrying the user id: ASP.NET's name identifier, or <c>sub</c> in device-login tokens.</summary>
    public static Guid? IdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub"), out var id) ? id : null;

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<CurrentUser?>(IdOf(context.User) is { } id
            ? new CurrentUser(id)
            : throw new InvalidOperationException("CurrentUser bound on an endpoint that does not require authentication."));

    /// <summary>Asked of the database each time, so a role change applies at once.</summary>
    public Task<bool> IsOwnerAsync(CattyDbContext db, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == Id && u.Role == Roles.Owner, cancellationToken);
}
