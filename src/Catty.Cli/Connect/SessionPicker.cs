using System.Text;
using Catty.Cli.Output;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Connect;

/// <summary>
/// <c>catty connect</c> without a label: the running sessions as a list to move through with the arrow keys
/// (or j/k), Enter to connect, q or Esc to leave.
/// </summary>
internal static class SessionPicker
{
    public static async Task<SessionInfo?> PickAsync(IReadOnlyList<SessionInfo> sessions, TimeProvider time, CancellationToken ct)
    {
        using var raw = RawMode.Enter(() => "\e[?25h") ?? throw new InvalidOperationException("The picker needs a terminal.");
        var selected = 0;
        var output = StandardStreams.Output;
        output.Write("\e[?25l"u8);
        Draw(sessions, selected, time, first: true);
        try
        {
            while (true)
            {
                var chunk = await KeyboardInput.Instance.ReadAsync(ct);
                foreach (var key in Keys(chunk))
                {
                    switch (key)
                    {
                        case PickerKey.Up:
                            selected = (selected + sessions.Count - 1) % sessions.Count;
                            break;
                        case PickerKey.Down:
                            selected = (selected + 1) % sessions.Count;
                            break;
                        case PickerKey.Enter:
                            Clear(sessions.Count);
                            return sessions[selected];
                        case PickerKey.Quit:
                            Clear(sessions.Count);
                            return null;
                    }
                }

                Draw(sessions, selected, time, first: false);
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            Clear(sessions.Count);
            return null;
        }
    }

    private enum PickerKey
    {
        None,
        Up,
        Down,
        Enter,
        Quit,
    }

    /// <summary>The keys in one read; a fast typist or a terminal multiplexer can deliver several at once.</summary>
    private static IEnumerable<PickerKey> Keys(byte[] chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            var rest = chunk.AsSpan(i);
            if (rest.Length >= 3 && rest[0] == 0x1b && rest[1] is (byte)'[' or (byte)'O')
            {
                i += 3;
                yield return rest[2] switch
                {
                    (byte)'A' => PickerKey.Up,
                    (byte)'B' => PickerKey.Down,
                    _ => PickerKey.None,
                };
                continue;
            }

            i++;
            yield return rest[0] switch
            {
                (byte)'k' => PickerKey.Up,
                (byte)'j' => PickerKey.Down,
                (byte)'\r' or (byte)'\n' => PickerKey.Enter,
                (byte)'q' or (byte)'Q' or 0x03 or 0x1b => PickerKey.Quit,
                _ => PickerKey.None,
            };
        }
    }

    private static void Draw(IReadOnlyList<SessionInfo> sessions, int selected, TimeProvider time, bool first)
    {
        var screen = new StringBuilder();
        if (!first)
        {
            screen.Append($"\e[{sessions.Count + 1}A");
        }

        screen.Append("\r\e[KPick a session: ↑/↓ to move, Enter to connect, q to quit\r\n");
        var width = sessions.Max(s => s.Label.Length);
        for (var i = 0; i < sessions.Count; i++)
        {
            var s = sessions[i];
            var line = $"{(i == selected ? "> " : "  ")}{s.Label.PadRight(width)}  {s.Region,-8} {RelativeTime.Format(s.CreatedAt, time.GetUtcNow())}";
            screen.Append(i == selected ? $"\r\e[K\e[7m{line}\e[0m\r\n" : $"\r\e[K{line}\r\n");
        }

        StandardStreams.Output.Write(Encoding.UTF8.GetBytes(screen.ToString()));
    }

    private static void Clear(int count) =>
        StandardStreams.Output.Write(Encoding.ASCII.GetBytes($"\e[{count + 1}A\r\e[J\e[?25h"));
}
