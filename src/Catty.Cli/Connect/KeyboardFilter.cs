namespace Catty.Cli.Connect;

/// <summary>What the keyboard asked for.</summary>
internal abstract record KeyboardAction;

/// <summary>Bytes to send to the session as typed.</summary>
internal sealed record TypedKeys(byte[] Bytes) : KeyboardAction;

/// <summary>A bracketed paste began; <see cref="PastedBytes"/> follow until <see cref="PasteEnded"/>.</summary>
internal sealed record PasteStarted : KeyboardAction;

internal sealed record PastedBytes(byte[] Bytes) : KeyboardAction;

internal sealed record PasteEnded : KeyboardAction;

/// <summary>Ctrl+C twice within a second, or Ctrl+\: leave the session running and return to the shell.</summary>
internal sealed record DetachKeys(string How) : KeyboardAction;

/// <summary>
/// Reads the raw keyboard stream of a connected terminal: passes keys through, recognises the detach keys
/// (Ctrl+C twice within one second, or Ctrl+\, as plain bytes or in the kitty keyboard protocol's CSI u
/// form a remote program may have turned on), and cuts out bracketed pastes so pasted file paths can be
/// uploaded. The first Ctrl+C still reaches the session: it interrupts whatever runs there.
/// </summary>
internal sealed class KeyboardFilter(TimeProvider time)
{
    public static readonly TimeSpan DoubleCtrlCWindow = TimeSpan.FromSeconds(1);

    private static readonly byte[] PasteStart = "\e[200~"u8.ToArray();
    private static readonly byte[] PasteEnd = "\e[201~"u8.ToArray();
    private static readonly byte[] CsiUCtrlC = "\e[99;5u"u8.ToArray();
    private static readonly byte[] CsiUCtrlBackslash = "\e[92;5u"u8.ToArray();

    private const byte CtrlC = 0x03;
    private const byte CtrlBackslash = 0x1c;

    private readonly List<byte> _held = [];
    private bool _inPaste;
    private long? _lastCtrlC;

    public IReadOnlyList<KeyboardAction> Feed(ReadOnlySpan<byte> chunk)
    {
        var actions = new List<KeyboardAction>();
        var data = _held.Count == 0 ? chunk.ToArray() : [.. _held, .. chunk];
        _held.Clear();
        var pending = new List<byte>();
        var i = 0;
        while (i < data.Length)
        {
            var rest = data.AsSpan(i);
            if (_inPaste)
            {
                if (rest.StartsWith(PasteEnd))
                {
                    Flush(actions, pending, paste: true);
                    actions.Add(new PasteEnded());
                    _inPaste = false;
                    i += PasteEnd.Length;
                    continue;
                }

                if (IsPartial(rest, PasteEnd))
                {
                    _held.AddRange(rest);
                    break;
                }

                pending.Add(data[i++]);
                continue;
            }

            if (rest.StartsWith(PasteStart))
            {
                Flush(actions, pending, paste: false);
                actions.Add(new PasteStarted());
                _inPaste = true;
                i += PasteStart.Length;
                continue;
            }

            if (data[i] == CtrlBackslash || rest.StartsWith(CsiUCtrlBackslash))
            {
                Flush(actions, pending, paste: false);
                actions.Add(new DetachKeys("Ctrl+\\"));
                return actions;
            }

            var ctrlC = data[i] == CtrlC ? 1 : rest.StartsWith(CsiUCtrlC) ? CsiUCtrlC.Length : 0;
            if (ctrlC > 0)
            {
                var now = time.GetTimestamp();
                if (_lastCtrlC is { } last && time.GetElapsedTime(last, now) <= DoubleCtrlCWindow)
                {
                    Flush(actions, pending, paste: false);
                    actions.Add(new DetachKeys("Ctrl+C twice"));
                    return actions;
                }

                _lastCtrlC = now;
                pending.AddRange(rest[..ctrlC]);
                i += ctrlC;
                continue;
            }

            // Hold back the start of an escape sequence split across reads, but never a lone ESC:
            // an Escape keypress must reach the session at once.
            if (data[i] == 0x1b && rest.Length > 1 && (IsPartial(rest, PasteStart) || IsPartial(rest, CsiUCtrlC) || IsPartial(rest, CsiUCtrlBackslash)))
            {
                _held.AddRange(rest);
                break;
            }

            pending.Add(data[i++]);
        }

        Flush(actions, pending, _inPaste);
        return actions;
    }

    /// <summary>Whether <paramref name="rest"/> is a proper beginning of <paramref name="sequence"/>.</summary>
    private static bool IsPartial(ReadOnlySpan<byte> rest, byte[] sequence) =>
        rest.Length < sequence.Length && sequence.AsSpan().StartsWith(rest);

    private static void Flush(List<KeyboardAction> actions, List<byte> pending, bool paste)
    {
        if (pending.Count == 0)
        {
            return;
        }

        actions.Add(paste ? new PastedBytes([.. pending]) : new TypedKeys([.. pending]));
        pending.Clear();
    }
}
