using System.Collections.Frozen;
using System.Diagnostics;

namespace Recaps.Workflows.Domain;

/// <summary>
/// A state's text (in a column, in the API's JSON, in an outbox row) that no value of
/// <see cref="StateType"/> has: written by a newer version, or by hand. It is never read as another value.
/// </summary>
public sealed class UnknownStateTextException(string stateType, string text)
    : FormatException($"Unknown {stateType} '{text}'.")
{
    public string StateType { get; } = stateType;

    public string Text { get; } = text;
}

/// <summary>
/// Reading a state enum back from its text. The text of each value comes from the enum's one
/// <c>ToText</c> switch, so the two directions cannot disagree.
/// </summary>
internal sealed class StateText<T>(Func<T, string> toText)
    where T : struct, Enum
{
    private readonly FrozenDictionary<string, T> byText = Enum.GetValues<T>().ToFrozenDictionary(toText, StringComparer.Ordinal);

    public T Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return byText.TryGetValue(text, out var value) ? value : throw new UnknownStateTextException(typeof(T).Name, text);
    }

    /// <summary>The value with <paramref name="text"/>, or null: for what a user sends, where unknown text is a field error.</summary>
    public T? Find(string? text) => text is not null && byText.TryGetValue(text, out var value) ? value : null;

    /// <summary>For the default arm of a <c>ToText</c> switch: a value cast from an integer no member has.</summary>
    public static UnreachableException OutOfRange(T value) => new($"{typeof(T).Name} has no member {value}.");
}
