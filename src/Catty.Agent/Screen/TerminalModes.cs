namespace Catty.Agent.Screen;

/// <summary>Which mouse events the program asked for (DECSET 9, 1000, 1002, 1003).</summary>
internal enum MouseProtocol : byte
{
    None,
    X10,
    Vt200,
    Drag,
    Any,
}

/// <summary>How mouse reports are encoded (DECSET 1006, 1016; 1005 and 1015 kept apart, see <see cref="TerminalModes.LegacyMouseEncoding"/>).</summary>
internal enum MouseEncoding : byte
{
    Default,
    Sgr,
    SgrPixels,
}

/// <summary>Cursor shape from DECSCUSR; None means the terminal's own default.</summary>
internal enum CursorShape : byte
{
    None,
    Block,
    Underline,
    Bar,
}

/// <summary>
/// Terminal modes that change how the client must encode input or interpret output. Kept
/// together because the serializer replays every one of them after the screen content.
/// </summary>
internal sealed class TerminalModes
{
    public bool ApplicationCursorKeys;
    public bool ApplicationKeypad;
    public bool BracketedPaste;
    public bool Origin;
    public bool Wraparound = true;
    public bool ReverseWraparound;
    public bool SendFocus;
    public bool Insert;

    /// <summary>LNM (SM 20): a line feed also returns the carriage.</summary>
    public bool NewLine;

    public bool CursorHidden;
    public CursorShape CursorShape;

    /// <summary>Blinking from DECSCUSR; null when DECSCUSR left it to the terminal.</summary>
    public bool? CursorStyleBlink;

    /// <summary>DECSET 12, which xterm.js keeps apart from DECSCUSR (and RIS does not reset); null until the program sets it.</summary>
    public bool? CursorBlink;

    public MouseProtocol MouseProtocol;
    public MouseEncoding MouseEncoding;

    /// <summary>1005 (UTF-8) or 1015 (urxvt) when last requested; xterm.js ignores both, other terminals honour them.</summary>
    public int LegacyMouseEncoding;

    public string? Title;

    /// <summary>DECSTR and RIS: what both reset (xterm.js's core modes).</summary>
    public void ResetCoreModes()
    {
        ApplicationCursorKeys = false;
        ApplicationKeypad = false;
        BracketedPaste = false;
        CursorShape = CursorShape.None;
        CursorStyleBlink = null;
        Origin = false;
        ReverseWraparound = false;
        SendFocus = false;
        Wraparound = true;
        Insert = false;
    }
}
