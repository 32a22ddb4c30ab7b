using Recaps.Workflows.Domain;

namespace Recaps.Api.Problems;

/// <summary>
/// PostgreSQL text cannot hold U+0000: a string with one fails the insert (a 500), so the API
/// refuses it as a field error before anything is stored.
/// </summary>
public static class StoredText
{
    public static bool IsStorable(string? value) => value is null || !value.Contains('\0', StringComparison.Ordinal);

    public static void Check(ValidationErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!IsStorable(value))
        {
            errors.Add(field, $"{field} must not contain the NUL character (U+0000).");
        }
    }
}
