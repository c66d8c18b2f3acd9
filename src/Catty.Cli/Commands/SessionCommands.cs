using System.CommandLine;
using Catty.Cli.Output;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary><c>catty list</c> (<c>ls</c>), <c>catty stop</c> and <c>catty stopall</c>.</summary>
internal static class SessionCommands
{
    public static Command List(CommandRunner run)
    {
        var command = new Command("list", "List your sessions: running first, then stopped, newest first.");
        command.Aliases.Add("ls");
        run.Handle(command, async (_, ct) =>
        {
            var context = run.Context;
            using var server = ServerConnection.Open(context);
            var sessions = await server.Api.ListSessionsAsync(ct);
            if (sessions.Count == 0)
            {
                context.Err.WriteLine("You have no sessions. Start one with `catty new`.");
                return ExitCodes.Success;
            }

            var now = context.Time.GetUtcNow();
            var rows = sessions.Select(s => new[] { s.Label, StatusText(s), s.Region, RelativeTime.Format(s.CreatedAt, now) }).ToList();
            string[] header = ["LABEL", "STATUS", "REGION", "CREATED"];
            var widths = Enumerable.Range(0, header.Length).Select(i => rows.Append(header).Max(r => r[i].Length)).ToArray();
            foreach (var row in rows.Prepend(header))
            {
                context.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Stop(CommandRunner run)
    {
        var label = new Argument<string>("label") { Description = "The session to stop." };
        var delete = new Option<bool>("--delete") { Description = "Also delete its record (its snapshots go with it)." };
        var command = new Command("stop", "Stop a session: a final snapshot is saved, then its machine is destroyed.") { label, delete };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            using var server = ServerConnection.Open(context);
            var name = parsed.GetValue(label)!;
            var deleting = parsed.GetValue(delete);
            await server.Api.StopSessionAsync(name, deleting, ct);
            context.Err.WriteLine(deleting ? $"Stopped and deleted {name}." : $"Stopped {name}. Its workspace stays downloadable: catty download {name}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command StopAll(CommandRunner run)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var command = new Command("stopall", "Stop every running session (asks first).") { yes };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            using var server = ServerConnection.Open(context);
            var running = (await server.Api.ListSessionsAsync(ct))
                .Where(s => s.Status is SessionStatus.Running or SessionStatus.Starting)
                .ToList();
            if (running.Count == 0)
            {
                context.Err.WriteLine("You have no running sessions; nothing to stop.");
                return ExitCodes.Success;
            }

            var names = string.Join(", ", running.Select(s => s.Label));
            if (!parsed.GetValue(yes))
            {
                var answer = (await LineInput.ReadLineAsync(context.Err, $"Stop {running.Count} running session{(running.Count == 1 ? "" : "s")} ({names})? [y/N] ", hidden: false, ct))?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
                {
                    throw new CliFailure("nothing was stopped: the answer was not yes.", "Answer y to stop them, or pass --yes to skip the question.");
                }
            }

            var failed = new List<string>();
            foreach (var session in running)
            {
                try
                {
                    await server.Api.StopSessionAsync(session.Label, delete: false, ct);
                    context.Err.WriteLine($"Stopped {session.Label}.");
                }
                catch (CattyApiException e)
                {
                    failed.Add($"{session.Label} ({e.ApiMessage})");
                }
            }

            if (failed.Count > 0)
            {
                throw new CliFailure($"could not stop {string.Join(", ", failed)}.", "Run `catty list` and stop them one by one with `catty stop <label>`.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The status column: "stopped (out of memory)" when a session limit ended it, else the status as sent.</summary>
    internal static string StatusText(SessionInfo session) => session.StopReason switch
    {
        StopReason.OutOfMemory => $"{session.Status} (out of memory)",
        StopReason.DiskFull => $"{session.Status} (disk full)",
        _ => session.Status,
    };
}
