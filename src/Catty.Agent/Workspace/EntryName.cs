using System.Text;

namespace Catty.Agent.Workspace;

/// <summary>Turns a zip entry name into a plain relative path, or says why it is not one.</summary>
internal static class EntryName
{
    private const int MaxComponentBytes = 255; // NAME_MAX
    private const int MaxPathBytes = 4000; // below PATH_MAX once joined to the workspace

    /// <summary>
    /// Normalises <paramref name="fullName"/>: a trailing '/' marks a folder and is removed; anything that could
    /// resolve outside the workspace or to a different name than written is refused rather than repaired.
    /// </summary>
    /// <returns>Null when accepted, otherwise the reason, phrased to follow the entry's quoted name.</returns>
    public static string? Normalize(string fullName, out string path, out bool endsWithSlash)
    {
        path = fullName;
        endsWithSlash = false;
        if (fullName.Length == 0)
        {
            return "has an empty name";
        }

        if (fullName.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character";
        }

        if (fullName.Contains('\\', StringComparison.Ordinal))
        {
            return "contains a backslash (a Windows separator or an attempt to hide '..')";
        }

        if (fullName[0] == '/')
        {
            return "is an absolute path";
        }

        if (fullName.Length >= 2 && fullName[1] == ':' && char.IsAsciiLetter(fullName[0]))
        {
            return "starts with a drive letter";
        }

        if (fullName.EndsWith('/'))
        {
            endsWithSlash = true;
            path = fullName[..^1];
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return $"is longer than {MaxPathBytes} bytes";
        }

        foreach (var range in path.AsSpan().Split('/'))
        {
            var component = path.AsSpan()[range];
            if (component.Length == 0)
            {
                return "has an empty path component ('//' or a lone '/')";
            }

            if (component is "..")
            {
                return "has a '..' component";
            }

            if (component is ".")
            {
                return "has a '.' component";
            }

            if (Encoding.UTF8.GetByteCount(component) > MaxComponentBytes)
            {
                return $"has a component longer than {MaxComponentBytes} bytes";
            }
        }

        return null;
    }
}
