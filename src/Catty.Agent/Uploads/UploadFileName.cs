using System.Text;

namespace Catty.Agent.Uploads;

/// <summary>
/// Turns a client's file name into one safe name inside the upload folder: the last path component only
/// (either separator), no control characters, no leading dots (so no "..", no hidden files, no temp-name
/// clashes), at most <see cref="MaxLength"/> characters; an empty result becomes "upload".
/// </summary>
internal static class UploadFileName
{
    public const int MaxLength = 120;

    public static string Sanitize(string filename)
    {
        var last = filename.Replace('\\', '/');
        last = last[(last.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            if (!Rune.IsControl(rune) && rune.Value != 0xFFFD)
                clean.Append(rune.ToString());
        }
        var name = clean.ToString().Trim().TrimStart('.').Trim();
        if (name.Length > MaxLength)
        {
            var extension = Path.GetExtension(name);
            name = extension.Length is > 0 and <= 16
                ? name[..(MaxLength - extension.Length)] + extension
                : name[..MaxLength];
            if (char.IsHighSurrogate(name[^1]))
                name = name[..^1];
        }
        return name.Length == 0 ? "upload" : name;
    }
}
