using System.CommandLine;

namespace Catty.Cli.Commands;

/// <summary>The command tree of DESIGN.md ("CLI"), parsed by System.CommandLine; one class per command family.</summary>
internal static class CattyCommandLine
{
    public static RootCommand Build(CliContext context)
    {
        var api = new Option<string?>("--api")
        {
            Description = $"The Catty server's address (default: $CATTY_API_ADDR, then the server you last signed in to, then {Config.ApiAddress.Default}).",
            Recursive = true,
        };
        var root = new RootCommand("catty: start coding-agent sessions from the folder you work in, and drive them from this terminal.");
        root.Options.Add(api);

        var run = new CommandRunner(context, api);
        foreach (var command in new[]
        {
            AuthCommands.Login(run),
            AuthCommands.Logout(run),
            NewCommand.Create(run),
            ConnectCommand.Create(run),
            SessionCommands.List(run),
            SessionCommands.Stop(run),
            SessionCommands.StopAll(run),
            LifetimeCommands.Extend(run),
            LifetimeCommands.Resume(run),
            DownloadCommand.Create(run),
            SyncCommand.Create(run),
            SecretsCommand.Create(run),
            VersionCommand.Create(run),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(CliContext context, string[] args, CancellationToken ct = default)
    {
        var root = Build(context);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Err,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(configuration, ct);
        }
        catch (Exception e)
        {
            Uri? server = null;
            try
            {
                server = context.Server;
            }
            catch (CliFailure)
            {
            }

            return ErrorWriter.Write(context.Err, e, server);
        }
    }
}

/// <summary>Runs a command's action with the context set up from the global options.</summary>
internal sealed class CommandRunner(CliContext context, Option<string?> api)
{
    public CliContext Context => context;

    public void Handle(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parsed, ct) =>
        {
            context.ApiFlag = parsed.GetValue(api);
            return await action(parsed, ct);
        });
}
