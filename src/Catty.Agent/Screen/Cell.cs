using System.Runtime.InteropServices;

namespace Catty.Agent.Screen;

/// <summary>
/// One character cell: 12 bytes. <see cref="Code"/> holds the code point (or an index into
/// <see cref="GraphemeTable"/> when the cell carries combining marks), the width bits and a
/// hyperlink number;
/// <see cref="Fg"/> and <see cref="Bg"/> hold a colour each plus attribute flags. The colour
/// layout (24-bit value, 2-bit mode in bits 24-25) is the one xterm.js uses, which keeps
/// comparisons with the reference emulator direct.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Cell
{
    public int Code;
    public uint Fg;
    public uint Bg;

    public Cell(int code, uint fg, uint bg)
    {
        Code = code;
        Fg = fg;
        Bg = bg;
    }

    /// <summary>An empty cell (nothing written) with the given colours.</summary>
    public static Cell Blank(uint fg, uint bg) => new(0, fg, bg);

    /// <summary>An empty cell that keeps the pen's colours and hyperlink (what xterm.js leaves when a character is cut).</summary>
    public static Cell PenBlank(uint fg, uint bg, int link) => new(link, fg, bg);

    public readonly int CodePoint => Code & CellBits.CodeMask;
    /// <summary>True when a character was written here (the right half of a wide one excluded).</summary>
    public readonly bool HasText => (Code & (CellBits.CodeMask | CellBits.Combined)) != 0;

    /// <summary>Number of the OSC 8 hyperlink over this cell in <see cref="HyperlinkTable"/>, 0 for none.</summary>
    public readonly int Link => (int)((uint)Code >> CellBits.LinkShift);
    public readonly bool IsWide => (Code & CellBits.WideLead) != 0;
    public readonly bool IsWideTrail => (Code & CellBits.WideTrail) != 0;
    public readonly bool IsCombined => (Code & CellBits.Combined) != 0;

    /// <summary>Columns this cell occupies: 2 for a wide character, 0 for its right half, else 1.</summary>
    public readonly int Width => IsWide ? 2 : IsWideTrail ? 0 : 1;
}

/// <summary>Bit layout of <see cref="Cell"/> and of the pen attributes.</summary>
internal static class CellBits
{
    // Code
    public const int CodeMask = 0x1FFFFF;
    public const int WideLead = 1 << 21;
    public const int WideTrail = 1 << 22;
    public const int Combined = 1 << 23;
    public const int LinkShift = 24;
    public const int LinkMask = unchecked((int)0xFF000000);

    // Fg and Bg colours (xterm.js layout)
    public const uint ColorMask = 0xFFFFFF;
    public const uint ModeMask = 0x3000000;
    public const uint ModeP16 = 0x1000000;
    public const uint ModeP256 = 0x2000000;
    public const uint ModeRgb = 0x3000000;
    public const uint ColorAndMode = 0x3FFFFFF;

    // Fg flags
    public const uint Inverse = 1u << 26;
    public const uint Bold = 1u << 27;
    public const uint Underline = 1u << 28;
    public const uint Blink = 1u << 29;
    public const uint Invisible = 1u << 30;
    public const uint Strikethrough = 1u << 31;

    // Bg flags
    public const uint Italic = 1u << 26;
    public const uint Dim = 1u << 27;
    /// <summary>Underline style minus one (0 single, 1 double, 2 curly, 3 dotted, 4 dashed), bits 28-30.</summary>
    public const int UnderlineStyleShift = 28;
    public const uint UnderlineStyleMask = 7u << 28;
    public const uint Overline = 1u << 31;
}
