namespace Catty.Server.Blobs;

/// <summary>
/// The shape every blob key must have, checked the same way by both stores so that a key that works on
/// one works on the other: '/'-separated segments of ASCII letters, digits, '.', '_' and '-', none empty
/// and none starting with '.' (which rules out '.', '..' and the folder store's temporary files).
/// Keys come from code, never from users, so a bad one throws.
/// </summary>
internal static class BlobKey
{
    /// <summary>Longest key, in characters; S3 allows 1024 bytes and a prefix may come before it.</summary>
    public const int MaxLength = 512;

    /// <summary>Longest segment, leaving room within the 255-byte file name limit for a temp suffix.</summary>
    public const int MaxSegmentLength = 200;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a well-formed key.</summary>
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        var problem = Check(key, allowOpenEnd: false);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid blob key '{Printable(key)}': {problem}.", paramName);
        }
    }

    /// <summary>Whether <paramref name="key"/> is a well-formed key, without throwing.</summary>
    public static bool IsValid(string key) => Check(key, allowOpenEnd: false) is null;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is empty or the beginning
    /// of a well-formed key (it may end in '/' or in the middle of a segment).
    /// </summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length == 0)
        {
            return;
        }

        var problem = Check(prefix, allowOpenEnd: true);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid blob key prefix '{Printable(prefix)}': {problem}.", paramName);
        }
    }

    private static string? Check(string key, bool allowOpenEnd)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (key[0] == '/')
        {
            return "it starts with '/'";
        }

        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment.Length == 0)
            {
                if (isLast && allowOpenEnd)
                {
                    continue;
                }

                return "it has an empty segment";
            }

            if (segment[0] == '.')
            {
                return "a segment starts with '.'";
            }

            if (segment.Length > MaxSegmentLength)
            {
                return $"a segment is longer than {MaxSegmentLength} characters";
            }

            foreach (var c in segment)
            {
                if (!IsAllowed(c))
                {
                    return c == '\\'
                        ? "it contains a backslash"
                        : "it contains a character other than ASCII letters, digits, '.', '_', '-' and '/'";
                }
            }
        }

        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    // Keys reach logs through the exception message; keep control characters out of them.
    private static string Printable(string value) =>
        string.Create(Math.Min(value.Length, 100), value, static (span, v) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(v[i]) ? '?' : v[i];
            }
        });
}
