using Catty.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace Catty.Server.Accounts;

/// <summary>Password rules and hashing, through ASP.NET Core Identity's hasher (PBKDF2-SHA512, salted, versioned).</summary>
internal sealed class Passwords
{
    public const int MinLength = 10;
    public const int MaxLength = 200;

    private readonly PasswordHasher<User> _hasher = new();

    /// <summary>Why <paramref name="password"/> is not acceptable, or null.</summary>
    public static string? Problem(string? password) => password switch
    {
        null or { Length: 0 } => "A password is required.",
        { Length: < MinLength } => $"The password must be at least {MinLength} characters long.",
        { Length: > MaxLength } => $"The password must be at most {MaxLength} characters long.",
        _ => null,
    };

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    /// <summary>Whether <paramref name="password"/> is the user's; false for a user without a password.</summary>
    public bool Verify(User user, string password) =>
        user.PasswordHash is { } hash && _hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>Spends about the same time as <see cref="Verify"/>, so an unknown address answers as slowly as a known one.</summary>
    public void VerifyNobody(string password) => _hasher.VerifyHashedPassword(Nobody, NobodyHash, password);

    private static readonly User Nobody = new() { Email = "nobody@invalid" };
    private static readonly string NobodyHash = new PasswordHasher<User>().HashPassword(Nobody, Guid.NewGuid().ToString());
}
