namespace Catty.Cli.SyncBack;

/// <summary>
/// A path that came from the session (a <c>file_change</c> or a snapshot entry), checked as text before it
/// touches the disk: relative, '/'-separated, no empty, '.' or '..' component, no backslash or control
/// character, and never inside a <c>.git</c> folder (a hook written there would run on this machine).
/// </summary>
internal static class RelativePath
{
    private const int MaxLength = 4096;

    /// <summary>The components of <paramref name="path"/>, or null with the reason it is refused.</summary>
    public static string[]? Split(string? path, out string reason)
    {
        reason = "";
        if (string.IsNullOrEmpty(path))
        {
            reason = "the path is empty";
            return null;
        }

        if (path.Length > MaxLength)
        {
            reason = $"the path is longer than {MaxLength} characters";
            return null;
        }

        if (path[0] == '/')
        {
            reason = "it is an absolute path";
            return null;
        }

        foreach (var c in path)
        {
            if (c == '\\')
            {
                reason = "it contains a backslash";
                return null;
            }

            if (char.IsControl(c))
            {
                reason = "it contains a control character";
                return null;
            }
        }

        var parts = path.Split('/');
        foreach (var part in parts)
        {
            switch (part)
            {
                case "":
                    reason = "it has an empty component";
                    return null;
                case ".":
                    reason = "it has a '.' component";
                    return null;
                case "..":
                    reason = "it climbs out of the folder with '..'";
                    return null;
            }

            if (part.Equals(".git", StringComparison.OrdinalIgnoreCase))
            {
                reason = "it is inside a .git folder, which sync never writes";
                return null;
            }
        }

        return parts;
    }
}
