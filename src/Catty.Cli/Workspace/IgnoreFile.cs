using MAB.DotIgnore;

namespace Catty.Cli.Workspace;

/// <summary>
/// One <c>.gitignore</c> (or <c>.git/info/exclude</c>), matched the way git matches it. MAB.DotIgnore parses
/// each pattern and does the glob matching (<c>*</c>, <c>?</c>, <c>[...]</c>, <c>**</c>); this layer adds what it
/// gets wrong against git: a pattern without a slash matches the entry's own name only (MAB also tries
/// every parent folder's name, so <c>!build</c> would re-include <c>build/x.o</c>), a leading slash anchors to
/// this file's folder even without another slash (MAB lets <c>/*.c</c> match <c>a/b.c</c>), unescaped trailing
/// spaces are dropped, and the last matching pattern decides, negation included.
/// </summary>
internal sealed class IgnoreFile
{
    private readonly List<Pattern> _patterns;

    private IgnoreFile(string baseDirectory, List<Pattern> patterns)
    {
        BaseDirectory = baseDirectory;
        _patterns = patterns;
    }

    /// <summary>The folder the patterns are relative to, '/'-separated from the workspace root ("" for the root).</summary>
    public string BaseDirectory { get; }

    public bool IsEmpty => _patterns.Count == 0;

    public static IgnoreFile Parse(string baseDirectory, IEnumerable<string> lines)
    {
        var patterns = new List<Pattern>();
        foreach (var raw in lines)
        {
            var line = TrimTrailingSpaces(raw.TrimEnd('\r'));
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var negated = line[0] == '!';
            var body = negated ? line[1..] : line;
            var slashless = body.TrimEnd('/');
            if (slashless.Length == 0)
            {
                continue;
            }

            patterns.Add(new Pattern(
                new IgnoreRule(line),
                negated,
                Anchored: slashless.Contains('/'),
                RootOnly: slashless.StartsWith('/') && slashless.IndexOf('/', 1) < 0));
        }

        return new IgnoreFile(baseDirectory, patterns);
    }

    /// <summary>
    /// The verdict of this file on an entry: true (ignored), false (re-included by a negation) or null (no
    /// pattern matches). <paramref name="relativePath"/> is relative to <see cref="BaseDirectory"/>.
    /// </summary>
    public bool? Match(string relativePath, bool isDirectory)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        for (var i = _patterns.Count - 1; i >= 0; i--)
        {
            var pattern = _patterns[i];
            var matched = pattern switch
            {
                { Anchored: false } => pattern.Rule.IsMatch(name, isDirectory),
                { RootOnly: true } => !relativePath.Contains('/') && pattern.Rule.IsMatch(relativePath, isDirectory),
                _ => pattern.Rule.IsMatch(relativePath, isDirectory),
            };
            if (matched)
            {
                return !pattern.Negated;
            }
        }

        return null;
    }

    /// <summary>git drops trailing spaces unless the last one is escaped with a backslash.</summary>
    private static string TrimTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
        {
            end--;
        }

        return line[..end];
    }

    /// <param name="Anchored">Has a slash other than a trailing one: matched against the path from the file's folder.</param>
    /// <param name="RootOnly">Its only slash leads: it can match an entry directly in the file's folder only.</param>
    private sealed record Pattern(IgnoreRule Rule, bool Negated, bool Anchored, bool RootOnly);
}
