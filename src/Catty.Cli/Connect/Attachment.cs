using System.Net;
using Catty.Cli.Commands;
using Catty.Cli.SyncBack;
using Catty.Cli.Terminal;
using Catty.Sdk.Api;

namespace Catty.Cli.Connect;

/// <summary>How <c>new</c> and <c>connect</c> attach.</summary>
/// <param name="AutoReconnect">Retry a dropped connection up to <see cref="Attachment.MaxReconnects"/> times.</param>
/// <param name="SyncBack">Where the session's file changes go (see <see cref="SyncTargets"/>); null: nowhere.</param>
/// <param name="Intro">
/// One compact line (label, upload, sync-back target) shown once the session's screen has been drawn: the
/// replay clears the screen, so what catty printed before it would be gone.
/// </param>
internal sealed record AttachOptions(bool AutoReconnect, SyncBackApplier? SyncBack, string Intro)
{
    /// <summary>The compact line: the label, then each part that is there, separated by " | " (plain ASCII: any terminal shows it).</summary>
    public static string IntroLine(string label, string? upload, SyncBackApplier? syncBack) =>
        string.Join(" | ", new[] { label, upload, syncBack is null ? "sync-back off" : $"sync-back to {syncBack.Folder.Root}", "Ctrl+\\ detaches" }
            .Where(part => !string.IsNullOrEmpty(part)));
}

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
        var syncBack = options.SyncBack;
        using var terminal = LocalTerminal.Open() ?? throw new CliFailure(
            "attaching to a session needs an interactive terminal, and standard input is not one.",
            $"Run it in a terminal, or check on the session with `catty list`.");
        var keyboard = new KeyboardFilter(context.Time);
        var target = first;
        var attempts = 0;
        string? readyNotice = options.Intro;
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
            syncBack.Flush();
            context.Err.WriteLine(syncBack.Summary());
            foreach (var kept in syncBack.Kept)
            {
                context.Err.WriteLine($"  kept {kept.Path}: {kept.KeptBecause}");
            }
        }

        context.Err.WriteLine(next);
        return exitCode;
    }
}
