using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Catty.Sdk.AgentControl;

/// <summary>
/// A workspace manifest's digest: SHA-256 over each entry, in path order, written as six fields each
/// followed by a NUL byte — kind, path, mode in octal, size in decimal, SHA-256 (empty when none), link
/// target (empty when none). No field can hold a NUL, so the encoding is unambiguous. The agent computes
/// it over a scan; the control plane recomputes it over a manifest it rebuilt from a base and a change.
/// </summary>
public static class ManifestDigest
{
    private const int ChunkBytes = 64 * 1024;

    public static string Compute(IReadOnlyList<ManifestEntryDto> sortedEntries)
    {
        ArgumentNullException.ThrowIfNull(sortedEntries);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var used = 0;
            foreach (var entry in sortedEntries)
            {
                // Mode (11 octal digits at most), size (20 digits at most) and six NULs fit in 40 bytes.
                var most = Encoding.UTF8.GetMaxByteCount(entry.Kind.Length + entry.Path.Length + (entry.Sha256?.Length ?? 0) + (entry.LinkTarget?.Length ?? 0)) + 40;
                if (used + most > buffer.Length)
                {
                    hash.AppendData(buffer, 0, used);
                    used = 0;
                    if (most > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(most);
                    }
                }

                used = Append(buffer, used, entry);
            }

            hash.AppendData(buffer, 0, used);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Append(byte[] buffer, int at, ManifestEntryDto entry)
    {
        at = Text(buffer, at, entry.Kind);
        at = Text(buffer, at, entry.Path);
        // Octal of the 32-bit pattern, as Convert.ToString(mode, 8) writes it, without allocating.
        var mode = (uint)entry.Mode;
        var digits = 1;
        for (var rest = mode >> 3; rest != 0; rest >>= 3)
        {
            digits++;
        }

        for (var i = digits - 1; i >= 0; i--)
        {
            buffer[at + i] = (byte)('0' + (mode & 7));
            mode >>= 3;
        }

        buffer[at + digits] = 0;
        at += digits + 1;
        entry.Size.TryFormat(buffer.AsSpan(at), out var written, default, CultureInfo.InvariantCulture);
        buffer[at + written] = 0;
        at += written + 1;
        at = Text(buffer, at, entry.Sha256);
        return Text(buffer, at, entry.LinkTarget);
    }

    private static int Text(byte[] buffer, int at, string? value)
    {
        var written = value is null ? 0 : Encoding.UTF8.GetBytes(value, buffer.AsSpan(at));
        buffer[at + written] = 0;
        return at + written + 1;
    }
}
