using System.Text.RegularExpressions;

namespace Catty.Sdk.Api;

/// <summary>
/// Which names a session secret may have (DESIGN.md "Sessions"): an environment variable name that the
/// system does not set itself. The server refuses the others; clients refuse them before storing one.
/// </summary>
public static partial class SecretNames
{
    private static readonly string[] ReservedNames = ["PATH", "HOME", "USER", "SHELL", "PWD", "CONNECT_TOKEN", "CATTY_CMD", "SESSION_LABEL"];

    /// <summary>Names Catty sets in every session.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(ReservedNames, StringComparer.Ordinal);

    /// <summary>Prefixes of names reserved for the platform's storage and machine credentials.</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = ["R2_", "AWS_", "FLY_"];

    /// <summary>The reserved names as people read them: "PATH, HOME, …, R2_*, AWS_* and FLY_*".</summary>
    public static readonly string ReservedList =
        string.Join(", ", ReservedNames.Concat(ReservedPrefixes.SkipLast(1).Select(prefix => prefix + "*"))) + $" and {ReservedPrefixes[^1]}*";

    // Read by the dynamic loader or glibc at start, or by a shell before it runs anything: set on the
    // session, they would act on every host-side process started with the session's environment
    // (bwrap, setpriv, a wrapper shell) before the sandbox exists. Variables read only by the
    // program inside the sandbox (NODE_OPTIONS, PYTHONPATH, ...) are the user's business and allowed.
    private static readonly string[] SteeringNames =
    [
        "BASH_ENV", "ENV", "PROMPT_COMMAND", "PS0", "PS4", "SHELLOPTS", "BASHOPTS", "IFS", "GLOBIGNORE", "CDPATH",
        "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCPATH", "NLSPATH",
    ];

    /// <summary>Names that steer the dynamic loader, glibc or a shell, refused as secrets.</summary>
    public static readonly IReadOnlySet<string> Steering = new HashSet<string>(SteeringNames, StringComparer.Ordinal);

    /// <summary>Prefixes of names that steer the dynamic loader (<c>LD_PRELOAD</c>, <c>LD_AUDIT</c>, ...), glibc's allocator or bash's exported functions.</summary>
    public static readonly IReadOnlyList<string> SteeringPrefixes = ["LD_", "MALLOC_", "BASH_FUNC_"];

    /// <summary>The steering names as people read them: "LD_*, MALLOC_*, BASH_FUNC_*, BASH_ENV, …".</summary>
    public static readonly string SteeringList =
        string.Join(", ", SteeringPrefixes.Select(prefix => prefix + "*").Concat(SteeringNames));

    /// <summary>Letters, digits and '_', not starting with a digit, at most 128 characters.</summary>
    public static bool IsEnvironmentName(string name) => EnvironmentName().IsMatch(name);

    public static bool IsReserved(string name) =>
        Reserved.Contains(name) || ReservedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="name"/> steers the dynamic loader, glibc or a shell (case-sensitive, as they read it).</summary>
    public static bool IsSteering(string name) =>
        Steering.Contains(name) || SteeringPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// Why <paramref name="name"/> cannot be a secret, in the words both the server and the CLI use, or
    /// null when it can. Never mentions a value.
    /// </summary>
    public static string? Refusal(string name) =>
        !IsEnvironmentName(name) ? $"'{(name.Length <= 64 ? name : name[..64] + "…")}' is not an environment variable name (letters, digits, '_', not starting with a digit)."
        : IsReserved(name) ? $"The secret name '{name}' is reserved: {ReservedList} are set by Catty."
        : IsSteering(name) ? $"The secret name '{name}' is refused: it steers the dynamic loader or a shell ({SteeringList}), which would act outside the session's sandbox."
        : null;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentName();
}
