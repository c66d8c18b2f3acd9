using System.Runtime.InteropServices;
using System.Text;

namespace Catty.Cli.Terminal;

/// <summary>
/// The local terminal in raw mode for as long as catty drives a session, and put back however catty ends:
/// normally (Dispose), on an unhandled exception, at process exit, or on SIGTERM, SIGHUP, SIGINT or SIGQUIT.
/// Putting back means the saved termios settings and the modes a remote program may have left on
/// (alternate screen, mouse reporting, hidden cursor, application keys, bracketed paste).
/// </summary>
internal sealed class RawMode : IDisposable
{
    private static readonly PosixSignal[] EndingSignals = [PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGINT, PosixSignal.SIGQUIT];

    private readonly byte[] _saved;
    private readonly Func<string> _resetSequence;
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _restored;

    private RawMode(byte[] saved, Func<string> resetSequence)
    {
        _saved = saved;
        _resetSequence = resetSequence;
    }

    /// <summary>Fires (once) when a signal ends catty while raw: after the terminal is restored, before exit.</summary>
    public event Action<PosixSignal>? Ending;

    /// <summary>Switches standard input to raw mode; null when it is not a terminal.</summary>
    /// <param name="resetSequence">What to write to standard output when restoring, to undo modes the session turned on.</param>
    public static RawMode? Enter(Func<string> resetSequence)
    {
        if (!Termios.IsTerminal(Termios.StdIn) || Termios.Get() is not { } saved)
        {
            return null;
        }

        var mode = new RawMode(saved, resetSequence);

        // Handlers first: registering initializes .NET's own terminal handling, which must see the settings
        // before raw mode, as it puts back at exit what it saw first.
        foreach (var signal in EndingSignals)
        {
            mode._signals.Add(PosixSignalRegistration.Create(signal, mode.OnSignal));
        }

        AppDomain.CurrentDomain.UnhandledException += mode.OnCrash;
        AppDomain.CurrentDomain.ProcessExit += mode.OnExit;
        Termios.Set(Termios.Raw(saved));
        return mode;
    }

    /// <summary>Puts the terminal back; safe to call more than once and from any thread.</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        try
        {
            var reset = Encoding.ASCII.GetBytes(_resetSequence());
            StandardStreams.Output.Write(reset);
        }
        catch (IOException)
        {
            // The terminal is gone (SIGHUP): nothing to write to.
        }

        Termios.Set(_saved);
    }

    public void Dispose()
    {
        Restore();
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        AppDomain.CurrentDomain.UnhandledException -= OnCrash;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
    }

    private void OnSignal(PosixSignalContext context)
    {
        KeyboardInput.Close();
        Restore();
        context.Cancel = true;
        Ending?.Invoke(context.Signal);
        Environment.Exit(128 + SignalNumber(context.Signal));
    }

    private void OnCrash(object? sender, UnhandledExceptionEventArgs e) => Restore();

    private void OnExit(object? sender, EventArgs e) => Restore();

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
