using System.CommandLine;
using Catty.Cli.Secrets;
using Catty.Cli.Terminal;

namespace Catty.Cli.Commands;

/// <summary><c>catty secrets add [name] | set &lt;name&gt; &lt;value&gt; | list | remove &lt;name&gt;</c>.</summary>
internal static class SecretsCommand
{
    public static Command Create(CommandRunner run)
    {
        var command = new Command("secrets", "Secrets kept encrypted on this machine and passed to new sessions as environment variables.");
        command.Subcommands.Add(Add(run));
        command.Subcommands.Add(Set(run));
        command.Subcommands.Add(List(run));
        command.Subcommands.Add(Remove(run));
        return command;
    }

    private static SecretStore Store(CliContext context) => new(context.Files, context.Home);

    private static Command Add(CommandRunner run)
    {
        var name = new Argument<string?>("name") { Description = "The environment variable name (asked for when left out).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("add", "Store a secret, typing its value without it showing.") { name };
        run.Handle(command, async (parsed, ct) =>
        {
            var context = run.Context;
            var secretName = parsed.GetValue(name);
            if (string.IsNullOrWhiteSpace(secretName))
            {
                secretName = (await LineInput.ReadLineAsync(context.Err, "Name: ", hidden: false, ct))?.Trim();
                if (string.IsNullOrEmpty(secretName))
                {
                    throw new CliFailure("no name was given.", "Run `catty secrets add NAME`.", ExitCodes.Usage);
                }
            }

            SecretStore.CheckName(secretName);
            var value = await LineInput.ReadLineAsync(context.Err, $"Value for {secretName} (not shown): ", hidden: true, ct);
            context.Err.WriteLine();
            if (string.IsNullOrEmpty(value))
            {
                throw new CliFailure($"no value was given for {secretName}; nothing was stored.", "Run the command again and type the value.", ExitCodes.Usage);
            }

            Store(context).Set(secretName, value);
            context.Err.WriteLine($"Stored {secretName}. New sessions get it as an environment variable (leave it out with --no-secrets).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Set(CommandRunner run)
    {
        var name = new Argument<string>("name") { Description = "The environment variable name." };
        var value = new Argument<string>("value") { Description = "The value (it stays in your shell history; `catty secrets add` avoids that)." };
        var command = new Command("set", "Store a secret given on the command line.") { name, value };
        run.Handle(command, (parsed, _) =>
        {
            var context = run.Context;
            var secretName = parsed.GetValue(name)!;
            Store(context).Set(secretName, parsed.GetValue(value)!);
            context.Err.WriteLine($"Stored {secretName}.");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command List(CommandRunner run)
    {
        var command = new Command("list", "List the names of your secrets (never their values).");
        command.Aliases.Add("ls");
        run.Handle(command, (_, _) =>
        {
            var context = run.Context;
            var names = Store(context).Names();
            if (names.Count == 0)
            {
                context.Err.WriteLine("No secrets stored. Add one with `catty secrets add NAME`.");
            }

            foreach (var secretName in names)
            {
                context.Out.WriteLine(secretName);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Remove(CommandRunner run)
    {
        var name = new Argument<string>("name") { Description = "The secret to remove." };
        var command = new Command("remove", "Remove a secret.") { name };
        command.Aliases.Add("rm");
        run.Handle(command, (parsed, _) =>
        {
            var context = run.Context;
            var secretName = parsed.GetValue(name)!;
            if (!Store(context).Remove(secretName))
            {
                throw new CliFailure($"there is no secret named {secretName}.", "See the stored names with `catty secrets list`.");
            }

            context.Err.WriteLine($"Removed {secretName}.");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
