using System.Text;

namespace Catty.Cli.Connect;

/// <summary>
/// Follows the DEC private modes a session's program sets on the local terminal (<c>ESC [ ? n h</c> and
/// <c>l</c>): whether it wants bracketed paste, and which modes catty must undo when it leaves (alternate
/// screen, mouse reporting, hidden cursor) so the shell is usable again. The bytes are only observed;
/// sequences split across chunks are followed across them.
/// </summary>
internal sealed class OutputModes
{
    private const int BracketedPaste = 2004;
    private static readonly int[] AltScreens = [1049, 1047, 47];
    private static readonly int[] MouseModes = [1000, 1002, 1003, 1005, 1006, 1015];

    private readonly HashSet<int> _on = [];
    private State _state;
    private int _number;
    private readonly List<int> _numbers = [];

    private enum State
    {
        Ground,
        Escape,
        Csi,
        Private,
    }

    /// <summary>Whether the session's program asked for bracketed paste (it then expects pastes wrapped in markers).</summary>
    public bool WantsBracketedPaste => _on.Contains(BracketedPaste);

    /// <summary>Takes in output; returns true when the program turned bracketed paste off in it.</summary>
    public bool Feed(ReadOnlySpan<byte> output)
    {
        var pasteTurnedOff = false;
        foreach (var b in output)
        {
            switch (_state)
            {
                case State.Ground:
                    if (b == 0x1b)
                    {
                        _state = State.Escape;
                    }

                    break;
                case State.Escape:
                    _state = b == (byte)'[' ? State.Csi : b == 0x1b ? State.Escape : State.Ground;
                    break;
                case State.Csi:
                    if (b == (byte)'?')
                    {
                        _state = State.Private;
                        _number = 0;
                        _numbers.Clear();
                    }
                    else
                    {
                        _state = b == 0x1b ? State.Escape : State.Ground;
                    }

                    break;
                case State.Private:
                    if (b is >= (byte)'0' and <= (byte)'9')
                    {
                        _number = Math.Min(_number * 10 + (b - '0'), 100_000);
                    }
                    else if (b == (byte)';')
                    {
                        _numbers.Add(_number);
                        _number = 0;
                    }
                    else
                    {
                        if (b is (byte)'h' or (byte)'l')
                        {
                            _numbers.Add(_number);
                            foreach (var mode in _numbers)
                            {
                                if (b == (byte)'h')
                                {
                                    _on.Add(mode);
                                }
                                else
                                {
                                    pasteTurnedOff |= mode == BracketedPaste && _on.Contains(BracketedPaste);
                                    _on.Remove(mode);
                                }
                            }
                        }

                        _state = b == 0x1b ? State.Escape : State.Ground;
                    }

                    break;
            }
        }

        return pasteTurnedOff;
    }

    /// <summary>What to write when catty leaves the terminal: undo the program's modes, then catty's own.</summary>
    public string ResetSequence()
    {
        var reset = new StringBuilder();
        if (AltScreens.FirstOrDefault(_on.Contains) is var alt and > 0)
        {
            reset.Append($"\e[?{alt}l");
        }

        foreach (var mouse in MouseModes.Where(_on.Contains))
        {
            reset.Append($"\e[?{mouse}l");
        }

        // Attributes off, cursor shown, normal cursor keys and keypad, bracketed paste off.
        reset.Append("\e[0m\e[?25h\e[?1l\e>\e[?2004l");
        return reset.ToString();
    }
}
