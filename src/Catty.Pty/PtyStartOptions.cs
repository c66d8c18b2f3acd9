using Microsoft.Win32.SafeHandles;

namespace Catty.Pty;

/// <summary>What to run in a new pseudo-terminal and how.</summary>
/// <param name="Argv">The command and its arguments; <c>Argv[0]</c> is looked up on this process's <c>PATH</c> (as <c>posix_spawnp</c> does) unless it contains a '/'.</param>
public sealed record PtyStartOptions(IReadOnlyList<string> Argv)
{
    /// <summary>The complete environment of the child; <see langword="null"/> passes this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The child's working directory; <see langword="null"/> keeps this process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Initial width of the terminal in columns (1 to 65535). Default 80.</summary>
    public int Cols { get; init; } = 80;

    /// <summary>Initial height of the terminal in rows (1 to 65535). Default 24.</summary>
    public int Rows { get; init; } = 24;

    /// <summary>
    /// Open descriptors the child receives as 3, 4, … in this order (e.g. data a program reads from an fd number given
    /// on its command line); every other descriptor above 2 is closed in the child. The caller keeps ownership.
    /// </summary>
    public IReadOnlyList<SafeFileHandle> InheritedHandles { get; init; } = [];
}
