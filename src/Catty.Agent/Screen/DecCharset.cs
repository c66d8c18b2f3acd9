namespace Catty.Agent.Screen;

/// <summary>Character sets a G0-G3 slot can hold (designated with ESC ( X and friends).</summary>
internal enum DecCharset : byte
{
    /// <summary>US ASCII, final byte 'B' (the default).</summary>
    Ascii,

    /// <summary>DEC special graphics, final byte '0': line drawing.</summary>
    DecSpecial,

    /// <summary>United Kingdom, final byte 'A': '#' is '£'.</summary>
    British,
}

internal static class DecCharsets
{
    // DEC special graphics for 0x60..0x7E, as xterm maps them to Unicode.
    private const string Graphics =
        "\u25c6\u2592\u2409\u240c\u240d\u240a\u00b0\u00b1\u2424\u240b\u2518\u2510\u250c\u2514\u253c\u23ba" +
        "\u23bb\u2500\u23bc\u23bd\u251c\u2524\u2534\u252c\u2502\u2264\u2265\u03c0\u2260\u00a3\u00b7";

    public static DecCharset FromFinal(char final) => final switch
    {
        '0' => DecCharset.DecSpecial,
        'A' => DecCharset.British,
        _ => DecCharset.Ascii,
    };

    public static char Final(DecCharset charset) => charset switch
    {
        DecCharset.DecSpecial => '0',
        DecCharset.British => 'A',
        _ => 'B',
    };

    /// <summary>The code point printed for ASCII <paramref name="cp"/> (below 0x7F) under <paramref name="charset"/>.</summary>
    public static int Map(DecCharset charset, int cp) => charset switch
    {
        DecCharset.DecSpecial when cp >= 0x60 => Graphics[cp - 0x60],
        DecCharset.British when cp == '#' => '\u00a3',
        _ => cp,
    };
}
