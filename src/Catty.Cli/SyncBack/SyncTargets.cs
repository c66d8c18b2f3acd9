using Catty.Cli.Commands;
using Catty.Cli.Native;

namespace Catty.Cli.SyncBack;

/// <summary>How sync-back was asked for by <c>new</c> or <c>connect</c>.</summary>
/// <param name="Off">--no-sync-back.</param>
/// <param name="SyncTo">--sync-to: the folder to apply changes to, whatever the record says.</param>
/// <param name="CreatedHere">The session was just created (and uploaded) from the current folder.</param>
/// <param name="Uploaded">The hashes of the files uploaded, by path.</param>
internal sealed record SyncRequest(bool Off, string? SyncTo = null, bool CreatedHere = false, IReadOnlyDictionary<string, string>? Uploaded = null);

/// <summary>
/// Decides where a session's changes may land: only in the folder the session came from (created there,
/// or last chosen with <c>--sync-to</c>), as remembered in <see cref="SyncRecord"/>; from any other
/// folder sync-back is off, and one line says where it would go and how to choose. Never the home
/// folder or the filesystem root.
/// </summary>
internal static class SyncTargets
{
    /// <summary>The applier to use (null: sync-back off) and the one line that says so.</summary>
    public static (SyncBackApplier? Applier, string Line) Choose(CliContext context, Uri server, string label, SyncRequest request)
    {
        var here = RealPath.Of(context.WorkingDirectory) ?? Path.GetFullPath(context.WorkingDirectory);

        // Remembered even with sync-back off now, so that a later connect from this folder gets the changes.
        var created = request.CreatedHere ? SyncRecord.Create(context.Files, server, label, here, request.Uploaded) : null;
        if (request.Off)
        {
            return (null, "Sync-back: off (--no-sync-back).");
        }

        if (created is not null)
        {
            return Open(context, created, "");
        }

        if (request.SyncTo is { } chosen)
        {
            var full = Path.GetFullPath(chosen, context.WorkingDirectory);
            var folder = Directory.Exists(full) ? RealPath.Of(full) : null;
            if (folder is null)
            {
                throw new CliFailure($"--sync-to {chosen}: {full} is not a folder.", "Name an existing folder, e.g. --sync-to .", ExitCodes.Usage);
            }

            var existing = SyncRecord.Load(context.Files, server, label);
            var record = existing?.Folder == folder ? existing : SyncRecord.Create(context.Files, server, label, folder, null);
            return Open(context, record, " (chosen with --sync-to)");
        }

        var remembered = SyncRecord.Load(context.Files, server, label);
        if (remembered is null)
        {
            return (null, $"Sync-back is off: this machine has no record of the folder {label} came from; to apply its changes to this one, add --sync-to .");
        }

        if (remembered.Folder != here)
        {
            return (null, $"Sync-back is off: {label} syncs to {remembered.Folder}, not this folder; connect from there, or choose this one with --sync-to .");
        }

        return Open(context, remembered, "");
    }

    private static (SyncBackApplier?, string) Open(CliContext context, SyncRecord record, string how)
    {
        var folder = record.Folder.TrimEnd('/');
        var home = (RealPath.Of(context.Home) ?? Path.GetFullPath(context.Home)).TrimEnd('/');
        if (folder.Length == 0 || folder == home)
        {
            return (null, $"Sync-back is off: {(folder.Length == 0 ? "/" : folder)} is your home folder or the filesystem root; run catty from a project folder to get the session's changes.");
        }

        return (new SyncBackApplier(new ConfinedFolder(folder), record), $"Sync-back: the session's file changes are applied to {folder}{how}");
    }
}
