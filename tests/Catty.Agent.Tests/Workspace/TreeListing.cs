using System.Globalization;
using System.Security.Cryptography;

namespace Catty.Agent.Tests.Workspace;

/// <summary>A byte-for-byte description of a folder: a tab-separated line per path with its kind, mode and content hash or link target.</summary>
internal static class TreeListing
{
    public static List<string> Describe(string root)
    {
        var lines = new List<string>();
        Walk(root, string.Empty, lines);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static int ModeOf(string path) => ModeOf(new FileInfo(path));

    public static int ModeOf(FileSystemInfo info)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The agent runs on Linux only.");
        }

        return (int)info.UnixFileMode;
    }

    public static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The agent runs on Linux only.");
        }

        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    public static string Octal(int mode) => Convert.ToString(mode, 8);

    private static void Walk(string dir, string prefix, List<string> lines)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            var info = new FileInfo(path);
            var relative = prefix + info.Name;
            var mode = Octal(ModeOf(info));
            if (info.LinkTarget is { } target)
            {
                lines.Add($"link\t{relative}\t-> {target}");
            }
            else if (Directory.Exists(path))
            {
                lines.Add($"dir\t{relative}\t{mode}");
                Walk(path, relative + "/", lines);
            }
            else
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"file\t{relative}\t{mode}\t{info.Length}\t{Sha256Of(path)}"));
            }
        }
    }
}
