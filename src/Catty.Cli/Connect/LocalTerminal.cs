using System.Runtime.InteropServices;
using System.Text;
using Catty.Cli.Terminal;

namespace Catty.Cli.Connect;

/// <summary>
/// The user's terminal while attached to a session: raw mode, session output written straight through,
/// catty's own notices on lines of their own, window-size changes (SIGWINCH) signalled to the connection,
/// and bracketed paste kept on so that pasted file paths can be recognised.
/// </summary>
internal sealed class LocalTerminal : IDisposable
{
    private static readonly byte[] BracketedPasteOn = "\e[?2004h"u8.ToArray();

    private readonly Lock _writing = new();
    private readonly RawMode _raw;
    private readonly PosixSignalRegistration _resize;
    private TaskCompletionSource _resized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalTerminal(RawMode raw)
    {
        _raw = raw;
        _resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Interlocked.Exchange(ref _resized, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult());
        Write(BracketedPasteOn);
    }

    public OutputModes Modes { get; } = new();

    /// <summary>Completes at the next window-size change.</summary>
    public Task NextResize => Volatile.Read(ref _resized).Task;

    public (int Cols, int Rows) Size => Termios.WindowSize() ?? (80, 24);

    /// <summary>Takes over the terminal; null when standard input is not one.</summary>
    public static LocalTerminal? Open()
    {
        LocalTerminal? terminal = null;
        var raw = RawMode.Enter(() => terminal?.Modes.ResetSequence() ?? "\e[?2004l");
        if (raw is null)
        {
            return null;
        }

        terminal = new LocalTerminal(raw);
        raw.Ending += signal => StandardStreams.ErrWriter.WriteLine($"catty: stopped by {signal}; the session keeps running.");
        return terminal;
    }

    /// <summary>Session output, as it came.</summary>
    public void WriteOutput(ReadOnlySpan<byte> output)
    {
        lock (_writing)
        {
            var pasteOff = Modes.Feed(output);
            StandardStreams.Output.Write(output);

            // The program is done with bracketed paste, but catty still needs it to see pastes.
            if (pasteOff)
            {
                StandardStreams.Output.Write(BracketedPasteOn);
            }
        }
    }

    /// <summary>A line from catty itself, set apart from the session's output.</summary>
    public void Notice(string message)
    {
        lock (_writing)
        {
            StandardStreams.Output.Write(Encoding.UTF8.GetBytes($"\r\n\e[0m[catty] {message}\r\n"));
        }
    }

    /// <summary>Gives the terminal back (cooked mode, modes undone) before catty prints its last words.</summary>
    public void Release()
    {
        lock (_writing)
        {
            _raw.Restore();
        }
    }

    public void Dispose()
    {
        _resize.Dispose();
        _raw.Dispose();
    }

    private void Write(byte[] bytes)
    {
        lock (_writing)
        {
            StandardStreams.Output.Write(bytes);
        }
    }
}
