namespace Catty.Agent.Screen;

/// <summary>What DECSC (ESC 7) saves. <see cref="AbsY"/> counts from the oldest scrollback line, as xterm.js does.</summary>
/// <remarks>
/// <see cref="Extended"/> is xterm.js's flag for "the pen had a hyperlink or underline style": restoring
/// a pen without it drops the current hyperlink, restoring one with it keeps the current one.</remarks>
internal readonly record struct SavedCursor(int X, int AbsY, uint Fg, uint Bg, DecCharset Charset, bool Extended)
{
    public static SavedCursor Initial => new(0, 0, 0, 0, DecCharset.Ascii, false);
}
