using Catty.Server.Accounts;
using Catty.Server.Auth;
using Catty.Server.Storage;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>People other than the owner, made directly in the database (the invite flow has its own tests).</summary>
internal static class Users
{
    public const string Password = "correct horse battery staple";

    /// <summary>Creates a user with one API token and returns that token.</summary>
    public static Task<string> CreateWithTokenAsync(this CattyTestServer server, string email) =>
        server.WithDbAsync(async db =>
        {
            var user = new User { Id = Guid.NewGuid(), Email = email, DisplayName = email, CreatedAt = DateTimeOffset.UtcNow };
            var token = ApiTokens.Generate();
            db.Users.Add(user);
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = user.Id, Hash = ApiTokens.Hash(token), Name = "test", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return token;
        });

    /// <summary>Creates a member (or owner) who signs in with <paramref name="password"/>; returns their id.</summary>
    public static Task<Guid> CreateWithPasswordAsync(this CattyTestServer server, string email, string password = Password, string role = Roles.Member) =>
        server.WithDbAsync(async db =>
        {
            var user = new User { Id = Guid.NewGuid(), Email = email, DisplayName = "Test " + email, Role = role, CreatedAt = DateTimeOffset.UtcNow };
            user.PasswordHash = new Passwords().Hash(user, password);
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user.Id;
        });
}
