using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recaps.Api.Hosting;

/// <summary>Describes the bearer token in the OpenAPI document, so the browsable UI can send one.</summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer
{
    private const string Name = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT whose `sub` is the user id; `role: \"admin\"` for the chat-store calls.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, document)] = [] }];
        return Task.CompletedTask;
    }
}
