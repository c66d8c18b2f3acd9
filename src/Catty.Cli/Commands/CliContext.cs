using Catty.Cli.Auth;
using Catty.Cli.Config;

namespace Catty.Cli.Commands;

/// <summary>What every command runs against: the user's home, the folder it was started in, the console and the clock.</summary>
internal sealed class CliContext
{
    public required string Home { get; init; }

    public required string WorkingDirectory { get; init; }

    public required Func<string, string?> Environment { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Err { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether standard input is a terminal a person types into (not a pipe or a file).</summary>
    public bool Interactive { get; init; } = !Console.IsInputRedirected;

    /// <summary>The server chosen with --api, filled in before a command runs.</summary>
    public string? ApiFlag { get; set; }

    public CattyHome Files => new(Home);

    public CredentialStore Credentials => new(Files);

    /// <summary>The server this command talks to (see <see cref="ApiAddress"/>).</summary>
    public Uri Server => ApiAddress.Resolve(ApiFlag, Environment(ApiAddress.EnvironmentVariable), Credentials.Load().DefaultServer);

    public static CliContext FromProcess(TextWriter output, TextWriter error) => new()
    {
        Out = output,
        Err = error,
        Home = System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
            ? home
            : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Environment = System.Environment.GetEnvironmentVariable,
    };
}
