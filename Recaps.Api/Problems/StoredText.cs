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

    /// <summary>
    /// The rule as a JSON Schema pattern (ECMA-262), for the OpenAPI document; <paramref name="nonBlank"/>
    /// also asks for a character that is not white space (what <c>string.IsNullOrWhiteSpace</c> refuses);
    /// <paramref name="alsoRefused"/> adds characters to the refused class.
    /// </summary>
    public static string Pattern(bool multiline = false, bool nonBlank = false, string alsoRefused = "") =>
        PatternRefusing((multiline ? @"\u0000-\u0008\u000B\u000C\u000E-\u001F" : @"\u0000-\u001F") + Formatting + alsoRefused, nonBlank);

    /// <summary><see cref="IsStorable"/> as a JSON Schema pattern: no NUL, and a character that is not white space.</summary>
    public static string StorablePattern() => PatternRefusing(@"\u0000", nonBlank: true);

    /// <summary>The characters besides C0 refused everywhere: C1 controls and DEL, bidi embeddings, overrides and isolates.</summary>
    private const string Formatting = @"\u007F-\u009F\u202A-\u202E\u2066-\u2069";

    /// <summary>What <c>char.IsWhiteSpace</c> is true for.</summary>
    private const string WhiteSpace = @"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

    private static string PatternRefusing(string refused, bool nonBlank) =>
        nonBlank ? $"^[^{refused}]*[^{refused}{WhiteSpace}][^{refused}]*$" : $"^[^{refused}]*$";

    private static bool IsRefused(char c, bool multiline) =>
        (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
