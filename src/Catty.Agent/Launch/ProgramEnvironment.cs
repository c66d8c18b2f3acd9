namespace Catty.Agent.Launch;

/// <summary>
/// The program's environment: built from nothing, never inherited from the agent (which may carry the
/// server's settings). A fixed base, then the session's variables (secrets included) on top.
/// </summary>
internal static class ProgramEnvironment
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>HOME inside the sandbox; backed by the session's private home folder on the host.</summary>
    public const string SandboxHome = "/home/catty";

    /// <summary>Set to 1 for a program that runs inside bubblewrap.</summary>
    public const string SandboxMarker = "IS_SANDBOX";

    public static Dictionary<string, string> Build(
        string label, string home, IReadOnlyDictionary<string, string> sessionEnv)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = home,
            ["USER"] = Environment.UserName,
            ["LOGNAME"] = Environment.UserName,
            ["SHELL"] = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh",
            ["LANG"] = "C.UTF-8",
            ["TERM"] = "xterm-256color",
            ["COLORTERM"] = "truecolor",
            ["SESSION_LABEL"] = label,
        };
        foreach (var (name, value) in sessionEnv)
            env[name] = value;
        return env;
    }

    /// <summary>Finds an executable on <paramref name="path"/> (a PATH value), as execvp would.</summary>
    public static string? FindOnPath(string name, string? path)
    {
        foreach (var dir in (path ?? DefaultPath).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)
                && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }
}
