using Microsoft.Extensions.Options;

namespace Catty.Server.Storage;

/// <summary>The layout of the data directory; everything the server keeps on disk lives under <see cref="Root"/>.</summary>
internal sealed class DataDirectory(IOptions<CattyOptions> options)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Root { get; } = Resolve(options.Value.DataDir);

    public string DatabasePath => Path.Combine(Root, "catty.db");

    /// <summary>ASP.NET Core data-protection keys (sign-in cookies) of a server on SQLite; replicas keep them in the database.</summary>
    public string CookieKeysDir => Path.Combine(Root, "keys");

    /// <summary>One state directory per local session machine (agent socket, logs, exit status).</summary>
    public string MachinesDir => Path.Combine(Root, "machines");

    /// <summary>One workspace per local session machine.</summary>
    public string WorkspacesDir => Path.Combine(Root, "workspaces");

    /// <summary>Creates the directory tree, readable by this user only.</summary>
    public void EnsureCreated()
    {
        foreach (var dir in new[] { Root, CookieKeysDir, MachinesDir, WorkspacesDir })
        {
            CreatePrivateDirectory(dir);
        }
    }

    /// <summary>Creates <paramref name="path"/> (mode 0700), or tightens an existing one to 0700.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly);
    }

    /// <summary>Expands <c>~</c> and makes the path absolute.</summary>
    public static string Resolve(string dataDir)
    {
        if (string.IsNullOrWhiteSpace(dataDir))
        {
            throw new InvalidOperationException("Catty:DataDir is empty.");
        }

        if (dataDir == "~" || dataDir.StartsWith("~/", StringComparison.Ordinal))
        {
            dataDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), dataDir.TrimStart('~').TrimStart('/'));
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir));
    }

    /// <summary>The default when neither <c>--data-dir</c> nor configuration names one.</summary>
    public static string Default() =>
        Environment.GetEnvironmentVariable("CATTY_DATA_DIR") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "catty");
}
