using System.Security.Cryptography;
using System.Text;

namespace Catty.Cli.Secrets;

/// <summary>
/// The key that encrypts stored secrets, derived with PBKDF2-SHA256 from what identifies this machine and
/// account (machine id, host name, user, home folder) and the file's random salt. A copied secrets.json
/// does not decrypt elsewhere; nothing here protects against someone who can already read files as this
/// user on this machine — the 0600 mode is what keeps others out.
/// </summary>
internal static class MachineKey
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;

    public static byte[] Derive(byte[] salt, string home)
    {
        var identity = string.Join('\n',
            "catty-secrets-v1",
            ReadMachineId(),
            Environment.MachineName,
            Environment.UserName,
            home);
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(identity), salt, Iterations, HashAlgorithmName.SHA256, 32);
    }

    private static string ReadMachineId()
    {
        foreach (var path in new[] { "/etc/machine-id", "/var/lib/dbus/machine-id" })
        {
            try
            {
                return File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return "";
    }
}
