using Catty.Sdk.Api;
using Catty.Server.Auth;
using Microsoft.Extensions.Options;

namespace Catty.Server.CodingAgents;

/// <summary><c>GET /v1/agents</c>: the agents this server is configured for and whether each one's command is installed.</summary>
internal static class CodingAgentEndpoints
{
    public static IEndpointRouteBuilder MapCodingAgents(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/agents").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Agents")
            .MapGet("/", (IOptions<CodingAgentOptions> options) => TypedResults.Ok(options.Value.Available
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new AgentInfo(a.Key, ExecutableSearch.Find(a.Value.Command[0]) is not null))
                .ToList()))
            .WithName("ListAgents")
            .WithSummary("The agents sessions can run, and whether each is installed here.");
        return app;
    }
}
