using System.CommandLine;
using Catty.Cli.Downloads;
using Catty.Cli.SyncBack;

namespace Catty.Cli.Commands;

/// <summary>
/// <c>catty sync &lt;label&gt; [--dry-run]</c>: make the current folder match a session's newest snapshot —
/// create and change its files, delete the ones it no longer has — within what an upload would send, so
/// ignored files, <c>.git</c> and dependency folders are never touched.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CommandRunner run)
    {
        var label = new Argument<string>("label") { Description = "The session whose workspace to bring here." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be created, changed and deleted, and change nothing." };
        var command = new Command("sync", "Overwrite the current folder with a session's newest workspace snapshot.") { label, dryRun };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var name = parsed.GetValue(label)!;
            using var server = ServerConnection.Open(context);
            await using var snapshot = await SnapshotDownload.FetchAsync(context, server, name, ct);
            var plan = SyncPlan.Make(snapshot, context.WorkingDirectory);
            var dry = parsed.GetValue(dryRun);
            context.Out.WriteLine(dry ? $"Sync from {name} into {context.WorkingDirectory} would:" : $"Syncing from {name} into {context.WorkingDirectory}:");
            foreach (var (verb, paths) in new[] { ("create", plan.Create), ("change", plan.Change), ("delete", plan.Delete) })
            {
                foreach (var path in paths)
                {
                    context.Out.WriteLine($"  {verb}  {path}");
                }
            }

            foreach (var path in plan.LeftOut)
            {
                context.Out.WriteLine($"  skip    {path} (symbolic link)");
            }

            var refused = plan.Refused.ToList();
            if (!dry)
            {
                refused.AddRange(Apply(plan, snapshot, context.WorkingDirectory));
            }

            foreach (var refusal in refused)
            {
                context.Err.WriteLine($"Refused '{refusal.Path}': {refusal.Refusal}");
            }

            context.Out.WriteLine(plan.IsEmpty
                ? "Already in sync."
                : $"{plan.Create.Count} {(dry ? "to create" : "created")}, {plan.Change.Count} {(dry ? "to change" : "changed")}, {plan.Delete.Count} {(dry ? "to delete" : "deleted")}.{(dry ? " Run without --dry-run to apply." : "")}");
            return refused.Count == 0 ? ExitCodes.Success : throw new CliFailure(
                $"{refused.Count} change{(refused.Count == 1 ? " was" : "s were")} refused (listed above).",
                "Each names why: a path outside the folder, through a link, or onto something that is not a regular file.");
        });
        return command;
    }

    private static List<ChangeResult> Apply(SyncPlan plan, Stream snapshot, string folder)
    {
        var target = new ConfinedFolder(folder);
        var wanted = new HashSet<string>(plan.Create.Concat(plan.Change), StringComparer.Ordinal);
        var refused = new List<ChangeResult>();
        foreach (var entry in SnapshotEntries.Read(snapshot))
        {
            var result = entry.Kind switch
            {
                SnapshotEntryKind.File when wanted.Contains(entry.Path) => target.Write(entry.Path, entry.Content ?? Stream.Null, entry.Mode),
                SnapshotEntryKind.Folder => target.CreateFolder(entry.Path),
                _ => null,
            };
            if (result is { Applied: false })
            {
                refused.Add(result);
            }
        }

        refused.AddRange(plan.Delete.Select(target.Delete).Where(r => !r.Applied));
        return refused;
    }
}
