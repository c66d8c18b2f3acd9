using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Catty.Server.Auth;

/// <summary>Random bearer secrets (API tokens, invites, tickets): a prefix that says what it is plus 32 random bytes; stored as SHA-256.</summary>
internal static class Secrets
{
    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
