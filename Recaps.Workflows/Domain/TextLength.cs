namespace Recaps.Workflows.Domain;

/// <summary>
/// How long user text is, for its limits: in Unicode code points, as JSON Schema's <c>maxLength</c>
/// (which the OpenAPI document states the limits in) and PostgreSQL count, so an emoji counts once
/// although .NET holds it in two UTF-16 units.
/// </summary>
public static class TextLength
{
    public static int Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.EnumerateRunes().Count();
    }
}
