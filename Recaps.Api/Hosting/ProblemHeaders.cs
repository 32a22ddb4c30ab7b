using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recaps.Api.Hosting;

/// <summary>
/// The headers problem answers carry, in the OpenAPI document: <c>WWW-Authenticate</c> on 401 (the
/// bearer challenge), <c>Retry-After</c> in whole seconds on 429 and on a problem 503.
/// </summary>
internal sealed class ProblemHeaders : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse { Content: { } content } declared || !content.ContainsKey(ProblemJson))
            {
                continue;
            }

            var header = status switch
            {
                "401" => ("WWW-Authenticate", new OpenApiHeader
                {
                    Required = true,
                    Description = "The bearer challenge.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^Bearer" },
                }),
                "429" or "503" => ("Retry-After", new OpenApiHeader
                {
                    Required = true,
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                }),
                _ => default((string, OpenApiHeader)?),
            };
            if (header is var (name, value))
            {
                declared.Headers ??= new Dictionary<string, IOpenApiHeader>();
                declared.Headers[name] = value;
            }
        }

        return Task.CompletedTask;
    }
}
