using System.Net;
using Catty.Cli.Commands;
using Catty.Cli.SyncBack;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Connect;

/// <summary>How <c>new</c> and <c>connect</c> attach.</summary>
/// <param name="AutoReconnect">Retry a dropped connection up to <see cref="Attachment.MaxReconnects"/> times.</param>
/// <param name="SyncBack">Apply the session's file changes to the current folder.</param>
internal sealed record AttachOptions(bool AutoReconnect, bool SyncBack);

/// <summary>
/// Drives a session from this terminal until the user detaches or the session ends. A dropped connection
/// is retried up to five times in a row (the count restarts once the session is ready again), asking the
/// server first whether the session still runs; being replaced by another client, or the session having
/// stopped, ends it at once. The terminal is handed back before anything is printed.
/// </summary>
internal sealed class Attachment(CliContext context, ServerConnection server, AttachOptions options)
{
    public const int MaxReconnects = 5;

    public async Task<int> RunAsync(ConnectTarget first, CancellationToken ct)
    {
        var syncBack = options.SyncBack ? SyncBackFor(context.WorkingDirectory) : null;
        using var terminal = LocalTerminal.Open() ?? throw new CliFailure(
            "attaching to a session needs an interactive terminal, and standard input is not one.",
            $"Run it in a terminal, or check on the session with `catty list`.");
        var keyboard = new KeyboardFilter(context.Time);
        var target = first;
        var attempts = 0;
        string? readyNotice = null;
        while (true)
        {
            var connection = new TerminalConnection(terminal, keyboard, syncBack, context.Home, context.Time) { ReadyNotice = readyNotice };
            var end = await connection.RunAsync(target, ct);
            if (connection.WasReady)
            {
                attempts = 0;
            }

            string reason;
            switch (end)
            {
                case Detached detached:
                    return Finish(terminal, syncBack, ExitCodes.Success,
                        $"Detached from {target.Label} ({detached.How}); it keeps running.",
                        $"Come back with: catty connect {target.Label}");
                case ProgramExited exited:
                    return Finish(terminal, syncBack, exited.Code ?? ExitCodes.Failure,
                        $"The program in {target.Label} exited{(exited.Code is { } code ? $" with code {code}" : $" on {exited.Signal}")}; the session has ended.",
                        $"Its workspace stays downloadable: catty download {target.Label}");
                case Replaced replaced:
                    return Finish(terminal, syncBack, ExitCodes.Success,
                        $"{replaced.Reason}: {target.Label} is now driven from somewhere else, so catty does not reconnect.",
                        $"Take it back with: catty connect {target.Label}");
                case Refused { Status: HttpStatusCode.Conflict or HttpStatusCode.NotFound } refused:
                    return Finish(terminal, syncBack, ExitCodes.Failure,
                        $"{target.Label} can no longer be connected to ({refused.Reason}): the session has stopped.",
                        $"See its status with `catty list`; download its workspace with `catty download {target.Label}`.");
                case Refused refused:
                    reason = $"the server refused the connection ({refused.Reason})";
                    break;
                case Dropped dropped:
                    reason = dropped.Reason;
                    break;
                default:
                    throw new InvalidOperationException($"unexpected connection end {end}");
            }

            if (!options.AutoReconnect)
            {
                return Finish(terminal, syncBack, ExitCodes.Failure,
                    $"Connection to {target.Label} lost: {reason}.",
                    $"Reconnect with: catty connect {target.Label}");
            }

            if (++attempts > MaxReconnects)
            {
                return Finish(terminal, syncBack, ExitCodes.Failure,
                    $"Connection to {target.Label} lost ({reason}) and {MaxReconnects} attempts to reconnect failed.",
                    $"Check the server, then try again: catty connect {target.Label}");
            }

            terminal.Notice($"connection lost ({reason}); reconnecting ({attempts}/{MaxReconnects})...");
            if (await WaitOrDetachAsync(keyboard, TimeSpan.FromSeconds(attempts), ct) is { } how)
            {
                return Finish(terminal, syncBack, ExitCodes.Success,
                    $"Stopped reconnecting ({how}); {target.Label} keeps running.",
                    $"Come back with: catty connect {target.Label}");
            }

            try
            {
                var info = await server.Api.GetSessionAsync(target.Label, live: true, ct);
                if (info.Status != SessionStatus.Running || info.MachineState != MachineState.Started)
                {
                    return Finish(terminal, syncBack, ExitCodes.Failure,
                        $"{target.Label} has stopped ({info.Status}{(info.StopReason is { } why ? $", {why}" : "")}), so there is nothing to reconnect to.",
                        $"Download its workspace with: catty download {target.Label}");
                }

                target = target with { ConnectUrl = info.ConnectUrl, ConnectToken = info.ConnectToken };
            }
            catch (Exception e) when (e is HttpRequestException or CattyApiException or TaskCanceledException or IOException or System.Net.Sockets.SocketException
                && !ct.IsCancellationRequested)
            {
                // The server is not answering either; the next attempt tries the same address.
            }

            readyNotice = $"reconnected to {target.Label}";
        }
    }

    /// <summary>Sync-back applies to the current folder, never to a home folder or the filesystem root.</summary>
    private SyncBackApplier? SyncBackFor(string folder)
    {
        var full = Path.GetFullPath(folder).TrimEnd('/');
        if (full.Length == 0 || full == Path.GetFullPath(context.Home).TrimEnd('/'))
        {
            context.Err.WriteLine($"Sync-back is off: {(full.Length == 0 ? "/" : full)} is your home folder or the filesystem root; run catty from a project folder to get the session's changes.");
            return null;
        }

        context.Err.WriteLine($"Sync-back: the session's file changes are applied to {full}");
        return new SyncBackApplier(new ConfinedFolder(full));
    }

    /// <summary>Waits before a reconnect; returns how the user detached if they did meanwhile.</summary>
    private async Task<string?> WaitOrDetachAsync(KeyboardFilter keyboard, TimeSpan delay, CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var elapsed = Task.Delay(delay, context.Time, waiting.Token);
        while (true)
        {
            var typed = KeyboardInput.Instance.ReadAsync(waiting.Token).AsTask();
            if (await Task.WhenAny(elapsed, typed) == elapsed)
            {
                await waiting.CancelAsync();
                await typed.ContinueWith(_ => { }, TaskScheduler.Default);
                await elapsed;
                return null;
            }

            byte[] chunk;
            try
            {
                chunk = await typed;
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                await elapsed;
                return null;
            }

            // Keys typed while disconnected go nowhere, except the ones that leave.
            if (keyboard.Feed(chunk).OfType<DetachKeys>().FirstOrDefault() is { } detach)
            {
                await waiting.CancelAsync();
                return detach.How;
            }
        }
    }

    private int Finish(LocalTerminal terminal, SyncBackApplier? syncBack, int exitCode, string what, string next)
    {
        terminal.Release();
        context.Err.WriteLine();
        context.Err.WriteLine(what);
        if (syncBack is not null)
        {
            context.Err.WriteLine(syncBack.Summary());
        }

        context.Err.WriteLine(next);
        return exitCode;
    }
}
