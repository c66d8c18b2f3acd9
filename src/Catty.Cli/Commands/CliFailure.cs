namespace Catty.Cli.Commands;

/// <summary>
/// A command cannot go on: what went wrong and what to do about it. Thrown by a command, caught once at
/// the top by <see cref="ErrorWriter"/>, which prints both and exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class CliFailure(string problem, string remedy, int exitCode = ExitCodes.Failure) : Exception(problem)
{
    /// <summary>What went wrong, one sentence.</summary>
    public string Problem { get; } = problem;

    /// <summary>What the user can do next.</summary>
    public string Remedy { get; } = remedy;

    public int ExitCode { get; } = exitCode;
}

/// <summary>The exit codes catty uses besides a session program's own.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>A bug: an exception nobody expected.</summary>
    public const int Internal = 70;
}
