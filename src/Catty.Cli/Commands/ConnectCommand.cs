using System.CommandLine;
using Catty.Cli.Connect;
using Catty.Cli.SyncBack;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary><c>catty connect [label]</c>: attach this terminal to a running session.</summary>
internal static class ConnectCommand
{
    public static Command Create(CommandRunner run)
    {
        var label = new Argument<string?>("label") { Description = "The session's label (e.g. brave-tiger-1234); without one, pick from a list.", Arity = ArgumentArity.ZeroOrOne };
        var noReconnect = new Option<bool>("--no-auto-reconnect") { Description = "Do not reconnect when the connection drops." };
        var noSyncBack = new Option<bool>("--no-sync-back") { Description = "Do not apply the session's file changes to this folder." };
        var syncTo = new Option<string?>("--sync-to") { Description = "Apply the session's file changes to this folder (e.g. --sync-to .) and remember it; by default only the folder the session came from gets them." };
        var command = new Command("connect", "Attach this terminal to a running session.") { label, noReconnect, noSyncBack, syncTo };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            using var server = ServerConnection.Open(context);
            var name = parsed.GetValue(label);
            if (name is null)
            {
                if (!Termios.IsTerminal(Termios.StdIn))
                {
                    throw new CliFailure("no session named, and there is no terminal to pick one in.", "Name it: catty connect <label> (see `catty list`).", ExitCodes.Usage);
                }

                var running = (await server.Api.ListSessionsAsync(ct)).Where(s => s.Status == SessionStatus.Running).ToList();
                if (running.Count == 0)
                {
                    throw new CliFailure("you have no running sessions.", "Start one with `catty new`.");
                }

                var picked = await SessionPicker.PickAsync(running, context.Time, ct);
                if (picked is null)
                {
                    context.Err.WriteLine("No session picked.");
                    return ExitCodes.Success;
                }

                name = picked.Label;
            }

            var session = await server.Api.GetSessionAsync(name, live: true, ct);
            if (session.Status != SessionStatus.Running || session.MachineState != MachineState.Started)
            {
                throw new CliFailure(
                    $"{session.Label} is {session.Status}{(session.StopReason is { } why ? $" ({why})" : "")} and cannot be connected to.",
                    $"Download its workspace with `catty download {session.Label}`, or start a new session with `catty new`.");
            }

            var (syncBack, syncLine) = SyncTargets.Choose(context, server.Server, session.Label,
                new SyncRequest(Off: parsed.GetValue(noSyncBack), SyncTo: parsed.GetValue(syncTo)));
            context.Err.WriteLine($"Connecting to {session.Label}...");
            context.Err.WriteLine(syncLine);
            var options = new AttachOptions(!parsed.GetValue(noReconnect), syncBack, AttachOptions.IntroLine(session.Label, null, syncBack));
            return await new Attachment(context, server, options).RunAsync(new ConnectTarget(session.Label, session.ConnectUrl, session.ConnectToken), ct);
        });
        return command;
    }
}
