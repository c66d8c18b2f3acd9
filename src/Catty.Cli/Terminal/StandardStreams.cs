using System.Text;

namespace Catty.Cli.Terminal;

/// <summary>
/// Standard input, output and error as plain file descriptors. System.Console is kept out of catty's way:
/// its first write to a terminal initializes .NET's own terminal handling, which switches the terminal to
/// application cursor keys and, at exit, restores whatever settings it saw first — possibly raw ones.
/// </summary>
internal static class StandardStreams
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Unbuffered standard output for terminal bytes.</summary>
    public static Stream Output { get; } = Open(1, FileAccess.Write);

    public static Stream Input { get; } = Open(0, FileAccess.Read);

    public static TextWriter OutWriter { get; } = Writer(Output);

    public static TextWriter ErrWriter { get; } = Writer(Open(2, FileAccess.Write));

    private static Stream Open(int fd, FileAccess access) => new DescriptorStream(fd, access == FileAccess.Write);

    private static TextWriter Writer(Stream stream) =>
        TextWriter.Synchronized(new StreamWriter(stream, Utf8, bufferSize: 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" });
}
