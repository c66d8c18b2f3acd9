using System.Reflection;

namespace Catty.Cli;

/// <summary>This build's version, from the assembly's informational version (the project's Version plus the commit when known).</summary>
internal static class VersionInfo
{
    public static string Version { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
