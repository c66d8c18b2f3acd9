using System.Text;

namespace Catty.Cli.Terminal;

/// <summary>Reads one line from standard input: a confirmation, a secret's name or value (with echo off).</summary>
internal static class LineInput
{
    /// <summary>
    /// Shows <paramref name="prompt"/> on <paramref name="to"/> and returns the line typed without its end, or
    /// null at the end of input. Hidden input has echo off before the prompt shows, so that nothing typed
    /// as soon as the prompt appears is ever echoed.
    /// </summary>
    public static async Task<string?> ReadLineAsync(TextWriter to, string prompt, bool hidden, CancellationToken ct)
    {
        var settings = hidden && Termios.IsTerminal(Termios.StdIn) ? Termios.Get() : null;
        if (settings is not null)
        {
            Termios.Set(Termios.NoEcho(settings));
        }

        to.Write(prompt);

        try
        {
            var line = new List<byte>();
            while (true)
            {
                byte[] chunk;
                try
                {
                    chunk = await KeyboardInput.Instance.ReadAsync(ct);
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    break;
                }

                foreach (var b in chunk)
                {
                    if (b == (byte)'\n')
                    {
                        return Decode(line);
                    }

                    line.Add(b);
                }
            }

            return line.Count > 0 ? Decode(line) : null;
        }
        finally
        {
            if (settings is not null)
            {
                Termios.Set(settings);
            }
        }
    }

    private static string Decode(List<byte> line) => Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
}
