using System.Text.RegularExpressions;
using Catty.Server.Auth;
using Catty.Server.Runtimes;
using Microsoft.Extensions.Options;

namespace Catty.Server.Regions;

internal static partial class RegionExtensions
{
    public static IServiceCollection AddRegions(this IServiceCollection services)
    {
        services.AddOptions<RegionOptions>().BindConfiguration(RegionOptions.Section)
            .PostConfigure(o =>
            {
                if (o.Available.Count == 0)
                {
                    o.Available["local"] = new RegionDefinition { Runtime = "local" };
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegionOptions>, RegionOptionsValidator>();
        services.AddSingleton<RegionCatalog>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegions(this IEndpointRouteBuilder app)
    {
        var regions = app.MapGroup("/v1/regions").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Regions");
        regions.MapGet("/", (RegionCatalog catalog) => TypedResults.Ok(catalog.All.ToList()))
            .WithName("ListRegions")
            .WithSummary("The regions sessions can run in.");
        return app;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex RegionId();

    private sealed class RegionOptionsValidator(IEnumerable<ISessionRuntime> runtimes) : IValidateOptions<RegionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RegionOptions options)
        {
            var known = runtimes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var failures = new List<string>();
            foreach (var (id, region) in options.Available)
            {
                if (!RegionId().IsMatch(id))
                {
                    failures.Add($"Catty:Regions:Available: '{id}' is not a region id (lowercase letters, digits and '-').");
                }

                if (!known.Contains(region.Runtime))
                {
                    failures.Add($"Catty:Regions:Available:{id}:Runtime '{region.Runtime}' is not one of: {string.Join(", ", known)}.");
                }
            }

            foreach (var (alias, target) in options.Aliases)
            {
                if (!RegionId().IsMatch(alias))
                {
                    failures.Add($"Catty:Regions:Aliases: '{alias}' is not a region id (lowercase letters, digits and '-').");
                }

                if (!string.IsNullOrEmpty(target) && !options.Available.ContainsKey(target))
                {
                    failures.Add($"Catty:Regions:Aliases:{alias} names '{target}', which is not among the configured regions.");
                }
            }

            if (!options.Available.ContainsKey(options.Default))
            {
                failures.Add($"Catty:Regions:Default '{options.Default}' is not among the configured regions.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
