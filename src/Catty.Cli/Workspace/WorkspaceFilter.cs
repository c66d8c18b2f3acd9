namespace Catty.Cli.Workspace;

/// <summary>
/// What of a folder goes into a workspace upload: everything except what git would ignore (every
/// <c>.gitignore</c> on the way down, then <c>.git/info/exclude</c>) and the default exclusions of DESIGN.md
/// ("Workspaces"), which no negation brings back. <c>.git</c> itself goes whole, untouched by ignore rules as
/// git never applies them to it, unless left out with <c>--no-git</c>.
/// </summary>
internal sealed class WorkspaceFilter
{
    /// <summary>Left out of every upload, whatever .gitignore says.</summary>
    public static readonly IReadOnlyList<string> DefaultExclusions =
        ["node_modules/", "__pycache__/", "*.pyc", ".venv/", "venv/", ".env", ".DS_Store", "*.log"];

    private static readonly IgnoreFile Defaults = IgnoreFile.Parse("", DefaultExclusions);

    public WorkspaceFilter(bool includeGit) => IncludeGit = includeGit;

    public bool IncludeGit { get; }

    /// <summary>
    /// Whether an entry is left out, given the ignore files that apply to its folder (root first).
    /// <paramref name="relativePath"/> is '/'-separated from the workspace root.
    /// </summary>
    public static bool IsIgnored(string relativePath, bool isDirectory, IReadOnlyList<IgnoreFile> ignoreFiles)
    {
        if (Defaults.Match(relativePath, isDirectory) == true)
        {
            return true;
        }

        // The deepest file with an opinion decides; within a file, its last matching pattern.
        for (var i = ignoreFiles.Count - 1; i >= 0; i--)
        {
            var file = ignoreFiles[i];
            var local = file.BaseDirectory.Length == 0 ? relativePath : relativePath[(file.BaseDirectory.Length + 1)..];
            if (file.Match(local, isDirectory) is { } verdict)
            {
                return verdict;
            }
        }

        return false;
    }

    /// <summary>The ignore file in <paramref name="folder"/>, if it holds a regular <c>.gitignore</c>.</summary>
    public static IgnoreFile? Load(string folder, string relativeFolder, string fileName = ".gitignore")
    {
        var path = Path.Combine(folder, fileName);
        if (Native.FileStatus.Of(path).Kind != Native.FileKind.Regular)
        {
            return null;
        }

        try
        {
            var file = IgnoreFile.Parse(relativeFolder, File.ReadLines(path));
            return file.IsEmpty ? null : file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
