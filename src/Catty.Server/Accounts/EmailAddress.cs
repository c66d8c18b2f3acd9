using System.Net.Mail;

namespace Catty.Server.Accounts;

/// <summary>Email addresses as accounts use them: trimmed, lower-case, checked for shape.</summary>
internal static class EmailAddress
{
    public const int MaxLength = 320;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The normalized address, or null when <paramref name="email"/> is not one.</summary>
    public static string? TryNormalize(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaxLength)
        {
            return null;
        }

        var normalized = Normalize(email);
        return MailAddress.TryCreate(normalized, out var parsed) && parsed.Address == normalized && normalized.Contains('@', StringComparison.Ordinal)
            ? normalized
            : null;
    }
}
