using System.CommandLine;
using Catty.Cli.Terminal;

namespace Catty.Cli.Commands;

/// <summary>
/// Hidden: <c>catty debug crash-in-raw-mode</c> enters raw mode the way <c>connect</c> does and then fails with
/// an unhandled exception, so that a test can check the terminal comes back from a crash as it is.
/// </summary>
internal static class DebugCommand
{
    public static Command Create(CommandRunner run)
    {
        var crash = new Command("crash-in-raw-mode", "Enter raw mode, then crash.");
        run.Handle(crash, (_, _) =>
        {
            var raw = RawMode.Enter(() => "\e[?2004l") ?? throw new CliFailure("standard input is not a terminal.", "Run it in a terminal.");
            GC.KeepAlive(raw);
            var thread = new Thread(() => throw new InvalidOperationException("deliberate crash in raw mode")) { IsBackground = true };
            thread.Start();
            thread.Join();
            return Task.FromResult(ExitCodes.Internal);
        });
        var command = new Command("debug", "Checks of catty itself.") { Hidden = true };
        command.Subcommands.Add(crash);
        return command;
    }
}
