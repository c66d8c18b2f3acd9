using System.CommandLine;
using System.Runtime.InteropServices;

namespace Catty.Cli.Commands;

/// <summary><c>catty version</c>.</summary>
internal static class VersionCommand
{
    public static Command Create(CommandRunner run)
    {
        var command = new Command("version", "Print catty's version.");
        run.Handle(command, (_, _) =>
        {
            run.Context.Out.WriteLine($"catty {VersionInfo.Version} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
