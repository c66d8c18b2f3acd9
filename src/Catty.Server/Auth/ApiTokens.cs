using System.Security.Cryptography;
using System.Text;

namespace Catty.Server.Auth;

/// <summary>API tokens: <c>catty_</c> plus 32 random bytes; the database keeps only their SHA-256.</summary>
internal static class ApiTokens
{
    public const string Prefix = "catty_";

    public static string Generate() => Secrets.New(Prefix);

    public static byte[] Hash(string token) => Secrets.Hash(token);

    /// <summary>Whether <paramref name="token"/> has the shape of an API token (not whether it is valid).</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: >= 32 and <= 200 } && token.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>One-time sign-in codes, <c>XXXX-XXXX</c> from an alphabet without look-alike characters.</summary>
internal static class SignInCodes
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string Generate()
    {
        Span<char> code = stackalloc char[9];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = i == 4 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(code);
    }

    /// <summary>Hash of the code as typed or pasted: case and the dash do not matter.</summary>
    public static byte[] Hash(string code) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(code.Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant()));
}
