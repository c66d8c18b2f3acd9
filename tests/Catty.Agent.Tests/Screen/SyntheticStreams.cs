using System.Text;

namespace Catty.Agent.Tests.Screen;

/// <summary>A byte stream a program could write, and the terminal it writes to.</summary>
internal sealed record ScreenStream(string Name, int Cols, int Rows, int Scrollback, byte[] Bytes)
{
    public override string ToString() => Name;
}

/// <summary>Hand-written streams, one or more per feature the replay must reproduce.</summary>
internal static class SyntheticStreams
{
    private const string E = "\u001b";
    private const string Csi = "\u001b[";

    public static IReadOnlyList<ScreenStream> All { get; } = Build();

    private static ScreenStream S(string name, string text, int cols = 40, int rows = 10, int scrollback = 100) =>
        new(name, cols, rows, scrollback, Encoding.UTF8.GetBytes(text));

    private static string Lines(int count, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\r\n"));

    private static List<ScreenStream> Build() =>
    [
        S("plain-lines", "hello\r\nworld\r\n$ ls\r\nfile-a  file-b\r\n$ "),
        S("scrollback", Lines(60, i => $"line {i} {new string('x', i % 30)}") + "$ "),
        S("scrollback-full", Lines(250, i => $"{Csi}3{i % 8}mrow {i}{Csi}0m tail") + "end", scrollback: 100),
        S("scrollback-wrapped-full", Lines(120, i => $"w{i}-" + new string((char)('a' + (i % 26)), 50 + (i % 40))), scrollback: 100),
        S("autowrap", "0123456789012345678901234567890123456789abcdefgh\r\n" + new string('z', 130) + "\r\nnext"),
        S("pending-wrap", "line one\r\n" + new string('p', 40)),
        S("pending-wrap-bottom", Lines(9, i => $"r{i}") + new string('q', 40)),
        S("pending-wrap-then-sgr", new string('r', 40) + $"{Csi}1;31m"),
        S("pending-wrap-wide", "\r\n" + string.Concat(Enumerable.Repeat("中", 20))),
        S("sgr-attributes", $"{Csi}1mbold{Csi}0m {Csi}2mdim{Csi}22m {Csi}3mital{Csi}23m {Csi}4munder{Csi}24m\r\n" +
            $"{Csi}5mblink{Csi}25m {Csi}7minv{Csi}27m {Csi}8mhid{Csi}28m {Csi}9mstrike{Csi}29m {Csi}53mover{Csi}55m\r\n" +
            $"{Csi}1;3;4;7;9mall{Csi}m plain"),
        S("sgr-colors", string.Concat(Enumerable.Range(0, 8).Select(i => $"{Csi}3{i}mf{i}{Csi}4{7 - i}mb")) + $"{Csi}0m\r\n" +
            string.Concat(Enumerable.Range(0, 8).Select(i => $"{Csi}9{i}mF{Csi}10{i}mB")) + $"{Csi}0m\r\n" +
            string.Concat(Enumerable.Range(0, 16).Select(i => $"{Csi}38;5;{i * 16}m{Csi}48;5;{255 - i}m#")) + $"{Csi}39;49m\r\n" +
            string.Concat(Enumerable.Range(0, 12).Select(i => $"{Csi}38;2;{i * 20};{255 - i * 20};7m{Csi}48;2;1;2;{i}m@")) +
            $"{Csi}0m done {Csi}1;38;5;208;48;2;10;20;30m"),
        S("sgr-colon-forms", $"{Csi}38:2::255:128:0mrgb{Csi}48:5:22mp256{Csi}4:3mcurly{Csi}4:0m{Csi}21mdbl{Csi}24m" +
            $"{Csi}58:2::1:2:3mulc{Csi}59m{Csi}38:5:9mend"),
        S("wide-chars", "中文字符 テスト 한국어\r\nemoji 👍🎉 ok\r\n" + new string('a', 39) + "中x\r\nab中cd\b\b\bX\r\n中中\r" + "Y"),
        S("wide-overwrite", "中中中中\r\n" + $"{Csi}2;2H" + "z" + $"{Csi}3;1H中中中{Csi}3;3H" + "q"),
        S("combining", "e\u0301te\u0301 cafe\u0301\r\nn\u0303o\u0308\u0323 中\u0301x\r\n" + $"{Csi}31m\u0301lone"),
        S("tabs", "a\tb\tc\td\r\n\tx\r\n" + $"{Csi}3g{Csi}5G{E}H{Csi}15G{E}H\r1\t2\t3\r\n" + $"{Csi}1;30H{Csi}2Zback{Csi}I!"),
        S("tabs-alt", $"{Csi}?1049h{Csi}3g{Csi}7G{E}H\r\tT"),
        S("line-drawing", $"{E}(0lqqqk\r\nx   x\r\nmqqqj{E}(B plain\r\n{E})0\u000elqk\u000f after\r\n{E}(0tqu"),
        S("charset-g2-g3", $"{E}*0{E}+A{E}nlqk{E}o#{E}(B\u000f."),
        S("scroll-region", Lines(10, i => $"base {i}") + $"{Csi}3;7r{Csi}7;1H" + Lines(6, i => $"scrolled {i}") + "cur"),
        S("scroll-region-top", "title bar\r\n" + $"{Csi}1;8r{Csi}8;1H" + Lines(14, i => $"log {i}") + $"{Csi}9;1Hstatus{Csi}8;1H"),
        S("insert-delete-lines", Lines(9, i => $"row {i}") + $"{Csi}2;8r{Csi}3;1H{Csi}2L{Csi}6;1H{Csi}M{Csi}44m{Csi}L{Csi}0m{Csi}r{Csi}5;5H"),
        S("insert-delete-chars", "abcdefghij\r\n0123456789\r\n中文中文\r\n中文中文" + $"{Csi}1;3H{Csi}2@{Csi}2;3H{Csi}3P{Csi}2;1H{Csi}41m{Csi}2X{Csi}3;3H{Csi}@{Csi}4;4H{Csi}P{Csi}0m"),
        S("erase", Lines(8, i => new string((char)('a' + i), 30)) + $"{Csi}42m{Csi}2;10H{Csi}K{Csi}3;10H{Csi}1K{Csi}4;1H{Csi}2K" +
            $"{Csi}45m{Csi}6;15H{Csi}J{Csi}0m{Csi}1;5H{Csi}43m{Csi}1J{Csi}0m"),
        S("erase-display-all", Lines(20, i => $"old {i}") + $"{Csi}44m{Csi}2J{Csi}H{Csi}0mfresh"),
        S("erase-scrollback", Lines(30, i => $"old {i}") + $"{Csi}3J{Csi}Hkept"),
        S("alt-1049", "$ vim file\r\n" + $"{Csi}?1049h{Csi}H{Csi}2J" + Lines(9, i => $"~ {i}") + $"{Csi}7m\"file\" 9L{Csi}0m{Csi}3;5H"),
        S("alt-1049-colored", "shell line\r\n" + $"{Csi}44m{Csi}?1049h{Csi}0m{Csi}5;5Hboxed{Csi}1;1H"),
        S("alt-1049-exit", "$ less x\r\n" + $"{Csi}?1049h{Csi}Hpage one\r\npage two{Csi}?1049l" + "$ "),
        S("alt-1047", "before\r\n" + $"{Csi}?1047hALT{Csi}2;2Halt text"),
        S("alt-47", "before\r\n" + $"{Csi}?47h{Csi}HA47{Csi}?47lback"),
        S("alt-saved-cursor", $"{Csi}5;7H{Csi}1;32mX{E}7{Csi}0m{Csi}?1049h{Csi}10;1Hfull screen{Csi}2;2H{Csi}4m"),
        S("alt-region", Lines(3, i => $"n{i}") + $"{Csi}2;5r{Csi}?1049h{Csi}3;8r{Csi}8;1H" + Lines(7, i => $"a{i}") + "end"),
        S("alt-scrolled-wrap", $"{Csi}?1049h{Csi}10;1H" + new string('w', 100) + "\r\n" + new string('v', 60)),
        S("modes-input", $"{Csi}?1h{E}={Csi}?2004h{Csi}?1002h{Csi}?1006h{Csi}?1004h{Csi}?25l{Csi}5 q{E}]0;my title\u0007text"),
        S("modes-mouse-any", $"{Csi}?1003h{Csi}?1015h{Csi}?1016h{Csi}2 q{E}]2;second{E}\\x"),
        S("modes-mouse-x10", $"{Csi}?9h{Csi}?1005h{Csi}?12h{Csi}3 q"),
        S("modes-reset", $"{Csi}?1h{Csi}?2004h{Csi}?1000h{Csi}?1006h{Csi}?1l{Csi}?2004l{Csi}?1000l{Csi}?1006l{Csi}?12l"),
        S("autowrap-off", $"{Csi}?7l" + new string('a', 50) + "\r\nnext" + new string('b', 40) + "END"),
        S("insert-mode", "abcdef\r" + $"{Csi}4hXY{Csi}2;1Hline2"),
        S("origin-mode", Lines(9, i => $"r{i}") + $"{Csi}3;8r{Csi}?6h{Csi}2;4Hin region{Csi}H>"),
        S("newline-mode", $"{Csi}20hone\ntwo\nthree"),
        S("saved-cursor", $"{Csi}3;4H{Csi}1;4;35m{E}(0{E}7{Csi}0m{E}(B{Csi}8;1Hmoved away"),
        S("saved-cursor-pending-wrap", "\r\n" + new string('s', 40) + $"{E}7\r\n{Csi}2mafter"),
        S("saved-cursor-restore", $"{Csi}2;2H{E}7{Csi}5;5Hx{E}8restored"),
        S("save-restore-scos", $"{Csi}4;6H{Csi}s{Csi}1;1Htop{Csi}u!"),
        S("full-reset", Lines(20, i => $"junk {i}") + $"{Csi}?1h{Csi}31m{Csi}3;5r{E}cafter reset"),
        S("soft-reset", $"{Csi}?1h{Csi}?2004h{Csi}4h{Csi}1;31m{Csi}3;6r{Csi}?25l{Csi}!pafter"),
        S("reverse-index", Lines(9, i => $"r{i}") + $"{Csi}2;6r{Csi}2;1H{E}M{E}Mtop{Csi}r{Csi}1;1H{E}Mfirst"),
        S("scroll-up-down", Lines(9, i => $"r{i}") + $"{Csi}2S{Csi}41m{Csi}1T{Csi}0m{Csi}3;7r{Csi}2S{Csi}T{Csi}r"),
        S("index-nel", $"{Csi}5;1Habc{E}Ddef{E}Eghi\u0085C1-NEL"),
        S("cursor-movement", $"{Csi}5;5H{Csi}2AA{Csi}3BB{Csi}4CC{Csi}2DD{Csi}2EE{Csi}FF{Csi}20GG{Csi}7dH{Csi}3`I{Csi}2aJ{Csi}eK{Csi}99;99HL{Csi}0;0HM"),
        S("repeat", "ab" + $"{Csi}5b" + "\r\n中" + $"{Csi}3b" + "\r\n" + $"{Csi}b"),
        S("hyperlinks", $"{E}]8;;http://example.com/a\u0007link{E}]8;;\u0007 {E}]8;id=x;file:///tmp/b{E}\\two\r\nlines{Csi}0m{E}]8;;{E}\\ " +
            $"{E}]8;id=y;http://e.com/中{E}\\中文" + new string('w', 40) + $"{E}]8;;http://open.example/"),
        S("ignored-sequences", $"{E}P1$r0m{E}\\{E}_apc payload{E}\\{E}^pm{E}\\" +
            $"{Csi}>1c{Csi}6n{Csi}?6n{Csi}>4;1m{Csi}?2026h{Csi}?2026l{Csi}12;1$p{Csi}1\"q{E}]52;c;aGVsbG8={E}\\tail"),
        S("c1-controls", "a\u009b31mred\u009b0m\u009d2;c1 title\u009cb\u0084c"),
        S("can-sub", $"{Csi}31\u0018m not sgr {Csi}1;\u001a4m x{E}]2;abort\u0018y"),
        S("controls-in-csi", $"ab{Csi}1\r;3Hcd{Csi}2\bC!"),
        S("decaln", $"{E}#8{Csi}3;3Hok"),
        S("bce-scroll", Lines(9, i => $"r{i}") + $"{Csi}46m\r\n\r\n{Csi}0mafter"),
        S("reverse-wraparound", $"{Csi}?45h" + new string('r', 45) + "\b\b\b\b\b\b\bX"),
        S("columns-shift", Lines(6, i => $"abcdefgh{i}") + $"{Csi}2;5r{Csi}3;4H{Csi}2'}}{Csi}1'~{Csi}2 @{Csi}1 A{Csi}r"),
        S("big-screen", Lines(40, i => $"{Csi}3{i % 8}m" + new string('#', i * 3 % 120) + $"{Csi}0m"), cols: 132, rows: 43),
        S("narrow-screen", Lines(12, i => $"word{i} 中文 end"), cols: 5, rows: 3),
    ];
}
