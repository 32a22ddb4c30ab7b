using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;

namespace Recaps.Api.Agents;

/// <summary>
/// An agent a schedule or a regeneration may name: <c>extractive</c> (built in, no model, no network)
/// or a configured LLM agent and its model. Where and how it is reached (endpoint, key) is not shown.
/// </summary>
/// <param name="Name">What a schedule's or a regeneration's <c>agent</c> names.</param>
/// <param name="Kind"><c>extractive</c> or <c>llm</c>.</param>
/// <param name="Model">The model an LLM agent asks for; null for <c>extractive</c>.</param>
public sealed record AgentView(string Name, string Kind, string? Model);

public sealed record AgentListResponse(IReadOnlyList<AgentView> Items);

/// <summary><c>/v1/agents</c>: the agent names the caller may choose, as the create and regenerate bodies take them.</summary>
public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/agents")
            .WithTags("Agents")
            .RequireAuthorization()
            .RequireRateLimiting(UserRateLimiting.Policy)
            .ProducesCallerProblems()
            .MapGet("/", List)
            .WithSummary("The agents a schedule's `agent` and a regeneration's `agent` may name, by name.");
        return app;
    }

    private static Ok<AgentListResponse> List(RecapGenerators generators, IOptions<Dictionary<string, AgentOptions>> agents) =>
        TypedResults.Ok(new AgentListResponse([.. generators.Agents.Order(StringComparer.Ordinal).Select(name =>
            name == ExtractiveRecapGenerator.Name ? new AgentView(name, "extractive", null) : new AgentView(name, "llm", agents.Value[name].Model))]));
}
