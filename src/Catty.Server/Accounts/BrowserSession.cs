using System.Security.Claims;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Accounts;

/// <summary>The browser's sign-in cookie: set it for a user, and find whose it is.</summary>
internal static class BrowserSession
{
    public static Task SignInAsync(HttpContext context, Guid userId)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString())], AuthSchemes.Cookie);
        return context.SignInAsync(AuthSchemes.Cookie, new ClaimsPrincipal(identity));
    }

    /// <summary>The user the cookie names (whatever the request's Authorization header says), or null.</summary>
    public static async Task<User?> UserAsync(HttpContext context, CattyDbContext db)
    {
        var cookie = await context.AuthenticateAsync(AuthSchemes.Cookie);
        if (!cookie.Succeeded || CurrentUser.IdOf(cookie.Principal) is not { } id)
        {
            return null;
        }

        // Antiforgery tokens are bound to the signed-in identity, so pages validate against the cookie's.
        context.User = cookie.Principal;
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, context.RequestAborted);
    }
}
