using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Catty.Server.Agents;

internal static partial class AgentExtensions
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton<AgentCatalog>();
        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex AgentName();

    private sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
    {
        public ValidateOptionsResult Validate(string? name, AgentOptions options)
        {
            var failures = new List<string>();
            foreach (var (agent, definition) in options.Available)
            {
                if (!AgentName().IsMatch(agent))
                {
                    failures.Add($"Catty:Agents:Available: '{agent}' is not an agent name (lowercase letters, digits, '-', '_').");
                }

                if (definition.Command.Count == 0 || string.IsNullOrWhiteSpace(definition.Command[0]))
                {
                    failures.Add($"Catty:Agents:Available:{agent}:Command is empty.");
                }

                if (!Sdk.AgentControl.AttentionSource.IsKnown(definition.Attention))
                {
                    failures.Add($"Catty:Agents:Available:{agent}:Attention '{definition.Attention}' must be claude, codex or quiet.");
                }

                foreach (var path in definition.ReadOnlyPaths.Append(definition.HomeTemplate).OfType<string>())
                {
                    if (!Path.IsPathFullyQualified(path) || !Directory.Exists(path))
                    {
                        failures.Add($"Catty:Agents:Available:{agent}: '{path}' (ReadOnlyPaths, HomeTemplate) must be an absolute path to an existing folder.");
                    }
                }
            }

            if (!options.Available.ContainsKey(options.Default))
            {
                failures.Add($"Catty:Agents:Default '{options.Default}' is not among the configured agents.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
