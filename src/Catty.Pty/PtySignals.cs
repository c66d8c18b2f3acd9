using System.Globalization;

namespace Catty.Pty;

/// <summary>Linux signal numbers and their names.</summary>
public static class PtySignals
{
    /// <summary>Hangup (1).</summary>
    public const int SIGHUP = 1;
    /// <summary>Interrupt, as from Ctrl-C (2).</summary>
    public const int SIGINT = 2;
    /// <summary>Quit, as from Ctrl-\ (3).</summary>
    public const int SIGQUIT = 3;
    /// <summary>Kill, cannot be caught (9).</summary>
    public const int SIGKILL = 9;
    /// <summary>User-defined signal 1 (10).</summary>
    public const int SIGUSR1 = 10;
    /// <summary>User-defined signal 2 (12).</summary>
    public const int SIGUSR2 = 12;
    /// <summary>Termination request (15).</summary>
    public const int SIGTERM = 15;
    /// <summary>Continue a stopped process (18).</summary>
    public const int SIGCONT = 18;
    /// <summary>Stop, cannot be caught (19).</summary>
    public const int SIGSTOP = 19;
    /// <summary>Terminal stop, as from Ctrl-Z (20).</summary>
    public const int SIGTSTP = 20;
    /// <summary>Window size changed (28).</summary>
    public const int SIGWINCH = 28;

    private const int MaxSignal = 64; // SIGRTMAX on Linux

    private static readonly string?[] Names =
    [
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>Parses "SIGINT", "INT", "int" or "2" into a signal number (1 to 64).</summary>
    /// <param name="name">A signal name with or without the "SIG" prefix (any case), or its number.</param>
    /// <param name="signal">The signal number, or 0 when <paramref name="name"/> is not a signal.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a signal.</returns>
    public static bool TryParse(string? name, out int signal)
    {
        signal = 0;
        string text = (name ?? "").Trim();
        if (text.Length == 0)
            return false;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            if (number is < 1 or > MaxSignal)
                return false;
            signal = number;
            return true;
        }

        string full = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text : "SIG" + text;
        int index = Array.FindIndex(Names, n => string.Equals(n, full, StringComparison.OrdinalIgnoreCase));
        if (index <= 0)
            return false;
        signal = index;
        return true;
    }

    /// <summary>The name of a signal, e.g. "SIGKILL" for 9; <see langword="null"/> for numbers without a standard name.</summary>
    /// <param name="signal">A signal number.</param>
    public static string? Name(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : null;
}
