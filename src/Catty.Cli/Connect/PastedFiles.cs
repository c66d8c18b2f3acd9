using System.Text;

namespace Catty.Cli.Connect;

/// <summary>A local file to send to the session: where it is, the name it gets there, its type.</summary>
internal sealed record PastedFile(string LocalPath, string RemoteName, string MimeType, long Size);

/// <summary>
/// Recognises a paste that is nothing but absolute paths of existing files of the kinds an agent can read
/// (images, PDF, text), each at most 10 MB — what dragging files onto a terminal produces. Paths may be
/// shell-escaped (<c>My\ File.png</c>), quoted, <c>~/</c>-relative or <c>file://</c> URLs. Anything else is an
/// ordinary paste and goes through unchanged.
/// </summary>
internal static class PastedFiles
{
    /// <summary>The agent's limit for one uploaded file (docs/design/0310).</summary>
    public const long MaxBytes = 10L * 1024 * 1024;

    /// <summary>Longer pastes are never taken for paths.</summary>
    public const int MaxPasteBytes = 8192;

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".bmp"] = "image/bmp",
        [".svg"] = "image/svg+xml",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".heic"] = "image/heic",
        [".ico"] = "image/x-icon",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".csv"] = "text/csv",
        [".tsv"] = "text/tab-separated-values",
        [".json"] = "application/json",
        [".xml"] = "application/xml",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".log"] = "text/plain",
        [".html"] = "text/html",
        [".htm"] = "text/html",
    };

    /// <summary>The files the paste names, or null when it is not (only) paths of uploadable files.</summary>
    public static IReadOnlyList<PastedFile>? Recognise(string paste, string home)
    {
        if (paste.Length > MaxPasteBytes || Words(paste.Trim()) is not { Count: > 0 } words)
        {
            return null;
        }

        var files = new List<PastedFile>();
        foreach (var word in words)
        {
            var path = word.StartsWith("file://", StringComparison.Ordinal) ? Uri.UnescapeDataString(word["file://".Length..])
                : word.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, word[2..])
                : word;
            if (!path.StartsWith('/') || !Types.TryGetValue(Path.GetExtension(path), out var mime))
            {
                return null;
            }

            // A link to a file is fine; a FIFO would block the read, a device is not a document.
            var info = new FileInfo(path);
            var real = info.LinkTarget is null ? path : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (real is null || Native.FileStatus.Of(real).Kind != Native.FileKind.Regular || info.Length > MaxBytes)
            {
                return null;
            }

            files.Add(new PastedFile(path, RemoteName(info.Name), mime, info.Length));
        }

        return files;
    }

    /// <summary>
    /// A name that the session keeps as it is (the agent renames a name it finds unsafe or taken): the file's
    /// name in [A-Za-z0-9._-], no leading dot, plus a random suffix so that it is never taken.
    /// </summary>
    public static string RemoteName(string localName)
    {
        var extension = Path.GetExtension(localName);
        var stem = new StringBuilder();
        foreach (var c in Path.GetFileNameWithoutExtension(localName))
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        var clean = stem.ToString().TrimStart('.', '-');
        if (clean.Length == 0)
        {
            clean = "file";
        }

        if (clean.Length > 80)
        {
            clean = clean[..80];
        }

        return $"{clean}-{Guid.NewGuid().ToString("N")[..6]}{extension.ToLowerInvariant()}";
    }

    /// <summary>Splits like a shell: whitespace separates, quotes and backslashes escape.</summary>
    private static List<string>? Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else if (c == '\\' && q == '"' && i + 1 < text.Length)
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    inWord = true;
                    break;
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (quote is not null)
        {
            return null;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
