using Catty.Sdk.Api;
using Catty.Server.Storage;

namespace Catty.Server.Push;

/// <summary>
/// What a push carries, read by the dashboard's service worker: the event, which session, the notification's
/// title and text, and the dashboard path that a tap opens.
/// </summary>
internal sealed record PushPayload(string Event, Guid SessionId, string Label, string Title, string Body, string Url, string? StopReason = null, int? ExitCode = null);

/// <summary>The words of each push, all the server's own (a label is one the server made).</summary>
internal static class PushMessages
{
    public static PushPayload For(string @event, SessionRecord session, TimeSpan expiryWarning)
    {
        var label = session.Label;
        var url = "/sessions/" + Uri.EscapeDataString(label);
        return @event switch
        {
            PushEvents.NeedsInput => new(@event, session.Id, label, $"{label} needs you", "It asks a question or for a permission.", url),
            PushEvents.Idle => new(@event, session.Id, label, $"{label} is waiting", "It finished its turn.", url),
            PushEvents.Expiring => new(@event, session.Id, label, $"{label} stops soon",
                $"It stops in {(int)Math.Round(expiryWarning.TotalMinutes)} minutes; extend it to keep it running.", url),
            _ => new(@event, session.Id, label, $"{label} stopped", StoppedText(session.StopReason, session.ExitCode), url, session.StopReason, session.ExitCode),
        };
    }

    private static string StoppedText(string? reason, int? exitCode) => reason switch
    {
        StopReason.DurationElapsed => "Its time ran out.",
        StopReason.Inactive => "It was idle past the inactivity limit.",
        StopReason.AgentExited => exitCode is { } code ? $"The program exited with code {code}." : "The program exited.",
        StopReason.MachineLost => "Its machine was lost.",
        StopReason.OutOfMemory => "It ran out of memory.",
        StopReason.DiskFull => "Its disk space ran out.",
        _ => "It was stopped.",
    };
}
