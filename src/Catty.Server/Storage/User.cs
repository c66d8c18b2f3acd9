namespace Catty.Server.Storage;

/// <summary>A person who owns sessions and API tokens.</summary>
internal sealed class User
{
    public Guid Id { get; set; }

    /// <summary>Lower-case and trimmed (<see cref="Accounts.EmailAddress.Normalize"/>), unique.</summary>
    public required string Email { get; set; }

    public string DisplayName { get; set; } = "";

    /// <summary>A <see cref="Accounts.Roles"/> value.</summary>
    public string Role { get; set; } = Accounts.Roles.Member;

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2); null until the person sets a password.</summary>
    public string? PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
