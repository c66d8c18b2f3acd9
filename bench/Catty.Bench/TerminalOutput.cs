using System.Text;

namespace Catty.Bench;

/// <summary>Typing commands and waiting for markers in output, the same way over every kind of terminal.</summary>
internal static class TerminalOutput
{
    public static ValueTask TypeAsync(this IBenchTerminal terminal, string text, CancellationToken ct) =>
        terminal.SendAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Receives until <paramref name="marker"/> has appeared in output; returns the bytes and pieces received meanwhile.</summary>
    public static async Task<(long Bytes, long Pieces)> ReadUntilAsync(this IBenchTerminal terminal, string marker, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var needle = Encoding.UTF8.GetBytes(marker);

        // The last needle.Length - 1 bytes seen, so that a marker split across two pieces is found too;
        // the tail is kept short because output can be hundreds of megabytes.
        var seam = new byte[2 * needle.Length];
        var carried = 0;
        var tail = new StringBuilder();
        long total = 0, pieces = 0;
        try
        {
            while (true)
            {
                var piece = await terminal.ReceiveOutputAsync(cts.Token);
                total += piece.Length;
                pieces++;
                var span = piece.Span;
                if (span.IndexOf(needle) >= 0)
                {
                    return (total, pieces);
                }

                var head = Math.Min(span.Length, needle.Length - 1);
                span[..head].CopyTo(seam.AsSpan(carried));
                if (seam.AsSpan(0, carried + head).IndexOf(needle) >= 0)
                {
                    return (total, pieces);
                }

                var keep = Math.Min(needle.Length - 1, carried + span.Length);
                if (span.Length >= keep)
                {
                    span[^keep..].CopyTo(seam);
                }
                else
                {
                    seam.AsSpan(carried + head - keep, keep).CopyTo(seam);
                }

                carried = keep;
                tail.Append(Encoding.UTF8.GetString(span[Math.Max(0, span.Length - 512)..]));
                if (tail.Length > 2048)
                {
                    tail.Remove(0, tail.Length - 2048);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"'{marker}' not seen within {timeout}; last output: {tail}");
        }
    }
}
