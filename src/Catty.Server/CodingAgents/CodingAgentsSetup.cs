using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Catty.Server.CodingAgents;

internal static partial class CodingAgentsSetup
{
    public static IServiceCollection AddCodingAgents(this IServiceCollection services)
    {
        services.AddOptions<CodingAgentOptions>().BindConfiguration(CodingAgentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CodingAgentOptions>, CodingAgentOptionsValidator>();
        services.AddSingleton<CodingAgentCatalog>();
        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex AgentName();

    private sealed class CodingAgentOptionsValidator : IValidateOptions<CodingAgentOptions>
    {
        public ValidateOptionsResult Validate(string? name, CodingAgentOptions options)
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
