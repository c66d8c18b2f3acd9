using Catty.Server.Api;
using Microsoft.Extensions.Options;

namespace Catty.Server.CodingAgents;

/// <summary>
/// An agent chosen for a session: its name, the exact argv the session runs (the program by its absolute path),
/// the folders its sandbox must show and the template of its home.
/// </summary>
internal sealed record ResolvedCodingAgent(string Name, IReadOnlyList<string> Argv, IReadOnlyList<string> ReadOnlyPaths, string? HomeTemplate, string Attention);

/// <summary>
/// Decides what a session runs. The server picks the command from the agent's name; a client's <c>cmd</c>
/// may only name the agent's launcher and add arguments the configuration allows.
/// </summary>
internal sealed class CodingAgentCatalog(IOptions<CodingAgentOptions> options)
{
    public Outcome<ResolvedCodingAgent> Resolve(string? agent, IReadOnlyList<string>? cmd)
    {
        var name = string.IsNullOrWhiteSpace(agent) ? options.Value.Default : agent;
        if (!options.Value.Available.TryGetValue(name, out var definition))
        {
            return Errors.BadRequest("invalid_agent", $"Unknown agent '{name}'; this server offers: {string.Join(", ", options.Value.Available.Keys.Order(StringComparer.Ordinal))}.");
        }

        var extra = new List<string>();
        if (cmd is { Count: > 0 })
        {
            var launchers = LauncherWords(definition);
            if (!launchers.Contains(cmd[0]))
            {
                return Errors.BadRequest("invalid_cmd", $"cmd[0] must name the agent '{name}' ({string.Join(" or ", launchers.Order(StringComparer.Ordinal))}), not '{cmd[0]}'.");
            }

            foreach (var argument in cmd.Skip(1))
            {
                if (!definition.AllowedArgs.Contains(argument, StringComparer.Ordinal))
                {
                    return Errors.BadRequest("invalid_cmd", $"The argument '{argument}' is not allowed for agent '{name}'."
                        + (definition.AllowedArgs.Count == 0 ? " It takes no extra arguments." : $" Allowed: {string.Join(" ", definition.AllowedArgs)}."));
                }

                extra.Add(argument);
            }
        }

        var program = definition.Command[0];
        // The session runs the program found here, by its absolute path: the program's own PATH (fixed, and
        // inside the sandbox) must not find a different one, or none.
        if (ExecutableSearch.Find(program) is not { } path)
        {
            return Errors.BadRequest("agent_not_installed", program.Contains('/', StringComparison.Ordinal)
                ? $"Agent '{name}' needs the command '{program}', which is not installed on this server (no executable file there)."
                : $"Agent '{name}' needs the command '{program}', which is not installed on this server (not found on PATH).");
        }

        return new ResolvedCodingAgent(name, [path, .. definition.Command.Skip(1), .. extra], definition.ReadOnlyPaths, definition.HomeTemplate, definition.Attention);
    }

    private static HashSet<string> LauncherWords(CodingAgentDefinition definition)
    {
        var words = new HashSet<string>(definition.Launchers, StringComparer.Ordinal) { definition.Command[0], Path.GetFileName(definition.Command[0]) };
        return words;
    }
}
