using System.Text;

namespace Catty.Server.Blobs;

/// <summary>
/// The name a browser or the CLI saves a download under, and the <c>Content-Disposition</c> header that
/// carries it (RFC 6266 with an RFC 5987 UTF-8 form for names that are not plain ASCII). Names come from
/// code (a session label plus an extension), so a bad one throws.
/// </summary>
internal static class DownloadFileName
{
    /// <summary>Longest accepted name, in characters.</summary>
    public const int MaxLength = 255;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a plain file name.</summary>
    public static void Validate(string name, string paramName = "downloadFileName")
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0 || name.Length > MaxLength)
        {
            throw new ArgumentException($"A download file name must have 1 to {MaxLength} characters.", paramName);
        }

        if (name is "." or ".." || name.AsSpan().IndexOfAny('/', '\\') >= 0 || name.Any(char.IsControl))
        {
            throw new ArgumentException("A download file name must not be '.' or '..' nor contain '/', '\\' or control characters.", paramName);
        }
    }

    /// <summary>The <c>Content-Disposition</c> value that makes clients save the body as <paramref name="name"/>.</summary>
    public static string ToContentDisposition(string name)
    {
        Validate(name, nameof(name));
        var header = new StringBuilder("attachment; filename=\"");
        foreach (var c in name)
        {
            header.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '_');
        }

        header.Append("\"; filename*=UTF-8''");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (IsAttrChar(b))
            {
                header.Append((char)b);
            }
            else
            {
                header.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return header.ToString();
    }

    private static bool IsAttrChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'-' or (byte)'.'
            or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}
