namespace Catty.Bench;

/// <summary>What is typed into every terminal under test, identically, whatever carries it.</summary>
internal static class Workloads
{
    /// <summary>The shell every terminal runs: the <c>shell</c> agent's command.</summary>
    public static readonly IReadOnlyList<string> Shell = ["bash", "-l"];

    /// <summary>Leaves only <c>cat</c> echoing, byte for byte (no line discipline echo, no line buffering).</summary>
    public const string EchoSetup = "stty raw -echo; echo RE\"\"ADY; exec cat\r";

    public const string EchoReady = "READY";

    /// <summary>One line of the output flood: 82 bytes of text and a newline.</summary>
    private const string Line = "catty throughput line: the quick brown fox jumps over the lazy dog 0123456789";

    /// <summary>
    /// Text lines as any program prints them: the terminal's default output processing (OPOST, ONLCR) turns
    /// each "\n" into "\r\n", which the kernel does by splitting the program's write at every newline.
    /// </summary>
    public static readonly ThroughputWorkload Lines = new("lines", bytes =>
        $"stty -echo; echo ST\"\"ART; yes '{Line}' | head -c {bytes}; echo EN\"\"D\r");

    /// <summary>
    /// The same bytes on the wire (each line ends in "\r\n") with output processing off, as a program in raw
    /// mode writes them: the kernel passes whole writes through. Shows what the rest of the path can carry.
    /// </summary>
    public static readonly ThroughputWorkload LinesOpostOff = new("lines_opost_off", bytes =>
        $"stty -echo -opost; echo ST\"\"ART; yes \"$(printf '{Line}\\r')\" | head -c {bytes}; echo EN\"\"D; stty opost\r");
}

/// <summary>A command that prints about <c>bytes</c> between the markers START and END.</summary>
internal sealed record ThroughputWorkload(string Name, Func<long, string> Command);
