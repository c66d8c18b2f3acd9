using System.CommandLine;
using Catty.Cli.Downloads;
using Catty.Cli.Output;

namespace Catty.Cli.Commands;

/// <summary><c>catty download &lt;label&gt; [path] [--format dir|tar.gz]</c>: a session's newest snapshot, never over something that exists.</summary>
internal static class DownloadCommand
{
    public static Command Create(CommandRunner run)
    {
        var label = new Argument<string>("label") { Description = "The session whose workspace to download (running or stopped)." };
        var path = new Argument<string?>("path") { Description = "Where to put it (default: ./<label> or ./<label>.tar.gz).", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format") { Description = "dir (a folder) or tar.gz (the archive as it is).", DefaultValueFactory = _ => "dir" };
        format.AcceptOnlyFromAmong("dir", "tar.gz");
        var command = new Command("download", "Download a session's newest workspace snapshot.") { label, path, format };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var name = parsed.GetValue(label)!;
            var asArchive = parsed.GetValue(format) == "tar.gz";
            var target = Path.GetFullPath(parsed.GetValue(path) ?? (asArchive ? name + ".tar.gz" : name), context.WorkingDirectory);
            if (Path.Exists(target))
            {
                throw new CliFailure(
                    $"{target} already exists, and download never overwrites.",
                    "Name another place: catty download <label> <path>, or move it away first.");
            }

            using var server = ServerConnection.Open(context);
            await using var snapshot = await SnapshotDownload.FetchAsync(context, server, name, ct);
            var parent = Path.GetDirectoryName(target)!;
            Directory.CreateDirectory(parent);
            if (asArchive)
            {
                // CreateNew: something that appeared meanwhile stays; a copy that fails takes its file with it.
                var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
                try
                {
                    await using (copy)
                    {
                        await snapshot.CopyToAsync(copy, ct);
                    }
                }
                catch
                {
                    File.Delete(target);
                    throw;
                }

                context.Err.WriteLine($"Saved {name}'s workspace to {target} ({Bytes.Format(snapshot.Length)}).");
                return ExitCodes.Success;
            }

            var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
            Directory.CreateDirectory(staging);
            try
            {
                var (files, refused) = FolderExtraction.Extract(snapshot, staging);
                Directory.Move(staging, target);
                foreach (var refusal in refused)
                {
                    context.Err.WriteLine($"Refused '{refusal.Path}': {refusal.Refusal}");
                }

                context.Err.WriteLine($"Downloaded {name}'s workspace to {target} ({files} files).");
                return refused.Count == 0 ? ExitCodes.Success : throw new CliFailure(
                    $"{refused.Count} entr{(refused.Count == 1 ? "y" : "ies")} of the snapshot were refused (listed above) and are missing from {target}.",
                    "They would have landed outside the folder or were not plain files; check the session's workspace.");
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        });
        return command;
    }
}
