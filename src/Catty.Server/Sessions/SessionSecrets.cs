using Catty.Sdk.Api;
using Catty.Server.Api;

namespace Catty.Server.Sessions;

/// <summary>
/// Checks the secrets a client sends. They become the session's environment; their values are never
/// logged or stored, so errors name the variable, never its value.
/// </summary>
internal static class SessionSecrets
{
    public static ErrorResult? Check(IReadOnlyDictionary<string, string>? secrets, int maxSecrets)
    {
        if (secrets is null)
        {
            return null;
        }

        if (secrets.Count > maxSecrets)
        {
            return Errors.BadRequest("invalid_secret", $"At most {maxSecrets} secrets per session.");
        }

        foreach (var (name, value) in secrets)
        {
            if (!SecretNames.IsEnvironmentName(name))
            {
                return Errors.BadRequest("invalid_secret", SecretNames.Refusal(name)!);
            }

            if (SecretNames.IsReserved(name))
            {
                return Errors.BadRequest("reserved_secret", SecretNames.Refusal(name)!);
            }

            if (SecretNames.IsSteering(name))
            {
                return Errors.BadRequest("unsafe_secret", SecretNames.Refusal(name)!);
            }

            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                return Errors.BadRequest("invalid_secret", $"The value of secret '{name}' is missing or contains a NUL character.");
            }
        }

        return null;
    }
}
