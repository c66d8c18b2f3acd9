using System.CommandLine;
using Catty.Cli.Connect;
using Catty.Cli.Output;
using Catty.Cli.Secrets;
using Catty.Cli.SyncBack;
using Catty.Cli.Workspace;
using Catty.Sdk.Api;

namespace Catty.Cli.Commands;

/// <summary><c>catty new</c>: start a session with this folder as its workspace, then attach to it.</summary>
internal static class NewCommand
{
    public static Command Create(CommandRunner run)
    {
        var agent = new Option<string>("--agent") { Description = "The agent to run: claude, codex or shell (what the server offers).", DefaultValueFactory = _ => "claude" };
        var region = new Option<string?>("--region") { Description = "The region to run in (default: the server's default region)." };
        var duration = new Option<string?>("--duration") { Description = "How long the session may run before it stops by itself, e.g. 2h, 90m, 1h30m (default: the server's)." };
        var noUpload = new Option<bool>("--no-upload") { Description = "Start with an empty workspace instead of this folder." };
        var noGit = new Option<bool>("--no-git") { Description = "Leave the .git folder (history, branches, hooks) out of the upload; by default it goes whole." };
        var noSecrets = new Option<bool>("--no-secrets") { Description = "Do not pass your stored secrets to the session." };
        var noSyncBack = new Option<bool>("--no-sync-back") { Description = "Do not apply the session's file changes to this folder." };
        var noReconnect = new Option<bool>("--no-auto-reconnect") { Description = "Do not reconnect when the connection drops." };
        var prompts = new Option<bool>("--enable-prompts") { Description = "Let the agent ask before acting (by default claude runs with permissions pre-approved)." };
        var command = new Command("new", Description)
        {
            agent, region, duration, noUpload, noGit, noSecrets, noSyncBack, noReconnect, prompts,
        };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var agentName = parsed.GetValue(agent)!;
            var ttl = parsed.GetValue(duration) is { } text ? DurationText.ToSeconds(text) : (int?)null;
            var secrets = parsed.GetValue(noSecrets) ? null : new SecretStore(context.Files, context.Home).DecryptAll();
            using var server = ServerConnection.Open(context);

            // Pack first: a folder too large to upload fails before a session is started for it.
            (FileStream Zip, WorkspaceListing Listing)? packed = null;
            var uploadedHashes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!parsed.GetValue(noUpload))
            {
                packed = WorkspaceUpload.Pack(context.WorkingDirectory, new WorkspaceFilter(includeGit: !parsed.GetValue(noGit)), uploadedHashes);
                if (packed.Value.Listing.Unsupported.Count > 0)
                {
                    context.Err.WriteLine($"Left out (cannot be uploaded): {string.Join(", ", packed.Value.Listing.Unsupported.Take(10))}{(packed.Value.Listing.Unsupported.Count > 10 ? $" and {packed.Value.Listing.Unsupported.Count - 10} more" : "")}");
                }
            }

            using var zip = packed?.Zip;
            if (!Terminal.Termios.IsTerminal(Terminal.Termios.StdIn))
            {
                throw new CliFailure(
                    "catty new connects this terminal to the new session, and standard input is not a terminal.",
                    "Run it in an interactive terminal.",
                    ExitCodes.Usage);
            }

            context.Err.WriteLine("Creating session...");
            var session = await server.Api.CreateSessionAsync(new CreateSessionRequest(
                Agent: agentName,
                Cmd: Launcher(agentName, parsed.GetValue(prompts)),
                Region: parsed.GetValue(region),
                TtlSec: ttl,
                Secrets: secrets is { Count: > 0 } ? secrets : null), ct);
            context.Err.WriteLine($"Session created: {session.Label}");
            context.Err.WriteLine($"  Reconnect with: catty connect {session.Label}");
            if (secrets is { Count: > 0 })
            {
                context.Err.WriteLine($"  Secrets: {string.Join(", ", secrets.Keys)}");
            }

            string? uploadSummary = null;
            if (packed is { } upload)
            {
                try
                {
                    var result = await TransferProgress.RunAsync(context.Err, context.Interactive, "Uploading workspace", upload.Zip.Length,
                        progress => WorkspaceUpload.SendAsync(server.Plain, session.ConnectUrl, session.ConnectToken, upload.Zip, progress, ct));
                    uploadSummary = $"uploaded {result.Files} file{(result.Files == 1 ? "" : "s")}, {Bytes.Format(result.Bytes)}";
                    context.Err.WriteLine($"Workspace uploaded: {result.Files} files, {Bytes.Format(result.Bytes)}.");
                }
                catch (Exception e) when (e is CliFailure or HttpRequestException)
                {
                    // A session without the files it was started for is of no use; do not leave it running.
                    await server.Api.StopSessionAsync(session.Label, delete: false, CancellationToken.None);
                    context.Err.WriteLine($"Stopped {session.Label}, as its workspace could not be uploaded.");
                    throw;
                }
            }

            var (syncBack, syncLine) = SyncTargets.Choose(context, server.Server, session.Label,
                new SyncRequest(Off: parsed.GetValue(noSyncBack), CreatedHere: true, Uploaded: uploadedHashes));
            context.Err.WriteLine(syncLine);
            var options = new AttachOptions(!parsed.GetValue(noReconnect), syncBack, AttachOptions.IntroLine(session.Label, uploadSummary ?? "empty workspace", syncBack));
            return await new Attachment(context, server, options).RunAsync(new ConnectTarget(session.Label, session.ConnectUrl, session.ConnectToken), ct);
        });
        return command;
    }

    private const string Description = """
        Start a session with this folder as its workspace, and connect to it.

        The upload is this folder as git sees it, .git/ included (its history, branches and hooks go whole, so
        the agent can commit and diff; leave it out with --no-git). Files .gitignore (at any depth) or
        .git/info/exclude leave out stay here, and so do node_modules/, __pycache__/, *.pyc, .venv/, venv/,
        .env, .DS_Store and *.log, whatever .gitignore says. Symbolic links, FIFOs and devices are
        named and left out. Past 100 MB compressed nothing is started, and the largest paths are named.
        The session's program starts once the upload is in; then this terminal is connected to it.
        """;

    /// <summary>
    /// What the hosted Catty CLI sends as <c>cmd</c>: claude through its launcher with permissions pre-approved
    /// unless prompts are wanted; other agents as the server configures them.
    /// </summary>
    private static IReadOnlyList<string>? Launcher(string agent, bool enablePrompts) => agent switch
    {
        "claude" when enablePrompts => ["claude-wrapper"],
        "claude" => ["claude-wrapper", "--dangerously-skip-permissions"],
        _ => null,
    };
}
