using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recaps.Api.Hosting;

/// <summary>
/// Problem answers (RFC 9457) in the OpenAPI document as the API writes them: every one carries
/// <c>traceId</c> (the request's trace, to quote to an operator), <c>status</c> and <c>title</c>;
/// <c>type</c> is there for the statuses RFC 9110 names a section for; a 400 always has
/// <c>errors</c>, the refused fields with their messages.
/// </summary>
internal sealed class ProblemSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null || !type.IsAssignableTo(typeof(ProblemDetails)))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" };
        schema.Properties["title"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" };
        schema.Properties["detail"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties.Remove("instance");
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's W3C trace id, as the API's logs and traces name it." };
        schema.Required = new HashSet<string>(StringComparer.Ordinal) { "title", "status", "traceId" };
        if (type == typeof(HttpValidationProblemDetails))
        {
            schema.Required.Add("errors");
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The refused fields (body fields, parameters or headers by name; `body` for the body as a whole), each with why.",
                MinProperties = 1,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        return Task.CompletedTask;
    }
}
