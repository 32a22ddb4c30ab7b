using Recaps.Workflows.Domain;

namespace Recaps.Api.Problems;

/// <summary>
/// What users write that Recaps stores, shows and logs. PostgreSQL text cannot hold U+0000 (the
/// insert would fail: a 500). Other control characters turn into terminal escapes in logs
/// (<c>ESC[31m</c>) and bells; bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) make a title read other than it is stored. All are refused as field errors
/// before anything is stored; line breaks and tabs only in multi-line fields. Bidi marks (LRM,
/// RLM, ALM) stay: right-to-left text needs them and they reorder nothing around them.
/// </summary>
public static class StoredText
{
    /// <summary>A single-line value: no control or bidi formatting characters.</summary>
    public static bool IsLine(string? value) => value is null || !value.Any(c => IsRefused(c, multiline: false));

    /// <summary>
    /// Chat content from the platform, stored as data and never logged: only what PostgreSQL cannot hold is refused.
    /// </summary>
    public static bool IsStorable(string? value) => value is null || !value.Contains('\0', StringComparison.Ordinal);

    /// <summary>Adds <paramref name="field"/>'s error when <paramref name="value"/> has a character it may not hold.</summary>
    public static void Check(ValidationErrors errors, string field, string? value, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is not null && value.Any(c => IsRefused(c, multiline)))
        {
            errors.Add(field, Rule(field, multiline));
        }
    }

    /// <summary>The rule, in words, for a field's error.</summary>
    public static string Rule(string field, bool multiline = false) =>
        $"{field} must not contain control characters (U+0000–U+001F, U+007F–U+009F{(multiline ? "; line breaks and tabs are allowed" : "")}) "
        + "or bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069).";

    private static bool IsRefused(char c, bool multiline) =>
        (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
