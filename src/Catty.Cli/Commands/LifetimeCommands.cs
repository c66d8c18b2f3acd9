using System.CommandLine;

namespace Catty.Cli.Commands;

/// <summary><c>catty extend &lt;label&gt; [--for 1h]</c>: a later auto-stop deadline for a running session.</summary>
internal static class LifetimeCommands
{
    public static Command Extend(CommandRunner run)
    {
        var label = new Argument<string>("label") { Description = "The running session to keep longer." };
        var by = new Option<string>("--for") { Description = "How much longer: 1h, 30m, 1h30m (default 1h).", DefaultValueFactory = _ => "1h" };
        var command = new Command("extend", "Keep a running session longer: moves its auto-stop deadline later.") { label, by };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var seconds = DurationText.ToSeconds(parsed.GetValue(by)!);
            using var server = ServerConnection.Open(context);
            var session = await server.Api.ExtendSessionAsync(parsed.GetValue(label)!, seconds, ct);
            var left = session.ExpiresAt is { } expires ? DurationText.Format(expires - context.Time.GetUtcNow()) : "an unknown time";
            context.Err.WriteLine($"Extended {session.Label}: it stops in {left} ({session.ExpiresAt?.ToLocalTime():HH:mm}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
