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

    /// <summary>Letters, digits and '_', not starting with a digit, at most 128 characters.</summary>
    public static bool IsEnvironmentName(string name) => EnvironmentName().IsMatch(name);

    public static bool IsReserved(string name) =>
        Reserved.Contains(name) || ReservedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentName();
}
