using Catty.Agent.Http;

namespace Catty.Agent.Hosting;

/// <summary>
/// <c>catty-agent --listen unix:PATH|tcp:HOST:PORT --workspace DIR --state-dir DIR [--linger-minutes N] [--option name=value]...</c>
/// </summary>
internal sealed record AgentCommandLine(ListenAddress Listen, string Workspace, string StateDir, AgentOptions Options)
{
    public const string Usage =
        "usage: catty-agent --listen unix:PATH|tcp:HOST:PORT --workspace DIR --state-dir DIR [--linger-minutes N] < launch-spec.json";

    /// <summary>Parses the arguments; on failure returns null and a message for the operator.</summary>
    public static AgentCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        ListenAddress? listen = null;
        string? workspace = null, stateDir = null;
        var options = new AgentOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }
            var value = args[++i];
            switch (name)
            {
                case "--listen":
                    listen = ListenAddress.Parse(value, out error);
                    if (listen is null)
                        return null;
                    break;
                case "--workspace":
                    workspace = Path.GetFullPath(value);
                    break;
                case "--state-dir":
                    stateDir = Path.GetFullPath(value);
                    break;
                case "--linger-minutes":
                    if (!int.TryParse(value, out var minutes) || minutes <= 0)
                    {
                        error = "--linger-minutes takes a positive whole number";
                        return null;
                    }
                    options = options with { LingerAfterExit = TimeSpan.FromMinutes(minutes) };
                    break;
                case "--option":
                    if (!AgentOptions.TryApply(options, value, out options))
                    {
                        error = $"unknown or invalid --option {value}";
                        return null;
                    }
                    break;
                default:
                    error = $"unknown argument {name}";
                    return null;
            }
        }
        if (listen is null || workspace is null || stateDir is null)
        {
            error = "--listen, --workspace and --state-dir are required";
            return null;
        }
        return new AgentCommandLine(listen, workspace, stateDir, options);
    }
}
