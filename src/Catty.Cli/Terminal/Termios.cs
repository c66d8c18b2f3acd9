using System.Runtime.InteropServices;

namespace Catty.Cli.Terminal;

/// <summary>
/// The terminal settings of standard input as an opaque libc <c>struct termios</c> (60 bytes on Linux, 72 on
/// macOS; the buffer is larger than both), changed only through libc's own cfmakeraw and flag helpers so
/// that no field offset differs between platforms.
/// </summary>
internal static partial class Termios
{
    public const int StdIn = 0;
    public const int StdOut = 1;
    private const int TcsaNow = 0;
    private const int BufferBytes = 256;

    /// <summary>Whether <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => IsAtty(fd) == 1;

    /// <summary>The current settings of standard input, or null when it is not a terminal.</summary>
    public static byte[]? Get()
    {
        var buffer = new byte[BufferBytes];
        return TcGetAttr(StdIn, buffer) == 0 ? buffer : null;
    }

    public static bool Set(byte[] settings) => TcSetAttr(StdIn, TcsaNow, settings) == 0;

    /// <summary>The settings with everything raw: no echo, no line editing, no signals from keys, no output processing.</summary>
    public static byte[] Raw(byte[] settings)
    {
        var raw = (byte[])settings.Clone();
        CfMakeRaw(raw);
        return raw;
    }

    /// <summary>The settings with echo off (for typing a secret), line editing and signals kept.</summary>
    public static byte[] NoEcho(byte[] settings)
    {
        const int Echo = 0x8;
        var quiet = (byte[])settings.Clone();
        // c_lflag is the fourth tcflag_t: 4-byte fields on Linux, 8-byte on macOS; ECHO is 0x8 on both.
        if (OperatingSystem.IsMacOS())
        {
            BitConverter.TryWriteBytes(quiet.AsSpan(24, 8), BitConverter.ToInt64(quiet, 24) & ~Echo);
        }
        else
        {
            BitConverter.TryWriteBytes(quiet.AsSpan(12, 4), BitConverter.ToInt32(quiet, 12) & ~Echo);
        }

        return quiet;
    }

    /// <summary>The window size of standard output in cells, or null when it is not a terminal.</summary>
    public static (int Cols, int Rows)? WindowSize()
    {
        var request = OperatingSystem.IsMacOS() ? 0x40087468UL : 0x5413UL;
        foreach (var fd in new[] { StdOut, StdIn })
        {
            if (IoctlWinSize(fd, request, out var size) == 0 && size.Cols > 0 && size.Rows > 0)
            {
                return (size.Cols, size.Rows);
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsAtty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int TcGetAttr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRaw([In, Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlWinSize(int fd, ulong request, out WinSize size);

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixels;
        public ushort YPixels;
    }
}
