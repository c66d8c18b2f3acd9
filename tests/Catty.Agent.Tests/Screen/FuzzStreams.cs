using System.Text;

namespace Catty.Agent.Tests.Screen;

/// <summary>
/// Random but well-formed output: text (ASCII, wide, combining), controls, and the sequences
/// the model handles, with random parameters, mixed so that features interact in ways nobody
/// would write by hand. Seeded, so a failure can be replayed.
/// </summary>
internal static class FuzzStreams
{
    private static readonly string[] Words = ["a", "ls", "hello", "wörld", "中文", "テスト", "👍", "e\u0301", "x\u0308\u0323", "══", "─│", " ", "   "];
    private static readonly char[] Finals = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'P', 'S', 'T', 'X', 'Z', '@', 'b', 'd', 'e', 'f', 'g', 'r', 's', 'u', '`', 'a', 'I'];
    private static readonly int[] PrivateModes = [1, 6, 7, 12, 25, 45, 47, 66, 1000, 1002, 1003, 1004, 1006, 1047, 1048, 1049, 2004, 9, 1015, 1016];

    public static ScreenStream Make(int seed, int length = 3000)
    {
        var r = new Random(seed);
        int cols = r.Next(8, 60);
        int rows = r.Next(3, 16);
        var sb = new StringBuilder();
        while (sb.Length < length)
        {
            switch (r.Next(20))
            {
                case < 7:
                    sb.Append(Words[r.Next(Words.Length)]);
                    break;
                case 7:
                    sb.Append("\r\n");
                    break;
                case 8:
                    sb.Append("\r\b\t\n\u000e\u000f\u0007"[r.Next(7)]);
                    break;
                case 9:
                case 10:
                    char final = Finals[r.Next(Finals.Length)];
                    // ED 1 with the cursor in the last column of the last row throws inside
                    // xterm.js 6.0 (it clears the wrap mark of a line past the end).
                    sb.Append(final == 'J' ? $"\u001b[{"023"[r.Next(3)]}J" : $"\u001b[{Params(r)}{final}");
                    break;
                case 11:
                    sb.Append($"\u001b[{Sgr(r)}m");
                    break;
                case 12:
                    sb.Append($"\u001b[?{PrivateModes[r.Next(PrivateModes.Length)]}{(r.Next(2) == 0 ? 'h' : 'l')}");
                    break;
                case 13:
                    sb.Append($"\u001b[{(r.Next(2) == 0 ? 4 : 20)}{(r.Next(3) == 0 ? 'h' : 'l')}");
                    break;
                case 14:
                    sb.Append(Esc(r));
                    break;
                case 15:
                    sb.Append(r.Next(3) switch
                    {
                        0 => $"\u001b]2;title {r.Next(100)}\u0007",
                        1 => $"\u001b]8;;http://x.test/{r.Next(5)}\u001b\\",
                        _ => "\u001b]8;;\u001b\\",
                    });
                    break;
                case 16:
                    sb.Append($"\u001b[{r.Next(0, rows + 2)};{r.Next(0, cols + 2)}H");
                    break;
                case 17:
                    sb.Append(new string((char)r.Next('a', 'z' + 1), r.Next(1, cols * 2)));
                    break;
                case 18:
                    sb.Append($"\u001b[{r.Next(1, rows + 1)};{r.Next(1, rows + 1)}r");
                    break;
                default:
                    sb.Append($"\u001b[{r.Next(7)} q");
                    break;
            }
        }
        return new ScreenStream($"fuzz-{seed}", cols, rows, r.Next(0, 40), Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static string Params(Random r) => r.Next(4) switch
    {
        0 => string.Empty,
        1 => r.Next(0, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => r.Next(0, 30).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{r.Next(0, 20)};{r.Next(0, 20)}",
    };

    private static string Sgr(Random r) => r.Next(6) switch
    {
        0 => string.Empty,
        1 => $"3{r.Next(10)};4{r.Next(10)}",
        2 => $"38;5;{r.Next(256)}",
        3 => $"48;2;{r.Next(256)};{r.Next(256)};{r.Next(256)}",
        4 => string.Join(';', Enumerable.Range(0, r.Next(1, 4)).Select(_ => r.Next(0, 30))),
        _ => $"9{r.Next(8)};10{r.Next(8)}",
    };

    private static string Esc(Random r) => r.Next(12) switch
    {
        0 => "\u001b7",
        1 => "\u001b8",
        2 => "\u001bD",
        3 => "\u001bE",
        4 => "\u001bM",
        5 => "\u001bH",
        6 => "\u001b=",
        7 => "\u001b>",
        8 => "\u001b(0",
        9 => "\u001b(B",
        10 => "\u001b)0",
        // DECALN is left out: in origin mode xterm.js fills lines past the end of its buffer.
        _ => r.Next(10) == 0 ? "\u001bc" : "\u001bE",
    };
}
