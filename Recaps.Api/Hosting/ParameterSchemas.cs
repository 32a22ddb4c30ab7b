using Microsoft.OpenApi;

namespace Recaps.Api.Hosting;

/// <summary>
/// The rules of an endpoint's path, query and header parameters in the OpenAPI document, declared
/// where the endpoint is mapped from the constants its handler checks.
/// </summary>
public static class ParameterSchemas
{
    /// <summary>Describes parameter <paramref name="name"/> with <paramref name="schema"/> (a new one per document).</summary>
    public static TBuilder WithParameter<TBuilder>(this TBuilder builder, string name, Func<OpenApiSchema> schema)
        where TBuilder : IEndpointConventionBuilder => builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.Name == name)
                ?? throw new InvalidOperationException($"The operation has no parameter '{name}'.");
            parameter.Schema = schema();
            return Task.CompletedTask;
        });

    /// <summary>An integer from <paramref name="minimum"/> to <paramref name="maximum"/>, <paramref name="fallback"/> when absent.</summary>
    public static OpenApiSchema Range(int minimum, int maximum, int fallback) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Default = fallback,
    };
}
