using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Recaps.Api.Auth;

namespace Recaps.Api.Hosting;

/// <summary>
/// Describes the bearer token in the OpenAPI document, so the browsable UI can send one, and marks
/// the calls that need it: the health probes and the document itself are public. A call for admins
/// lists the role its token must carry (OpenAPI 3.1 lets an http scheme's requirement name roles);
/// without it the answer is 403.
/// </summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
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
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            var roles = authorize.Any(a => a.Policy == RecapsUser.AdminPolicy) ? [RecapsUser.AdminRole] : new List<string>();
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, context.Document)] = roles }];
        }

        return Task.CompletedTask;
    }
}
