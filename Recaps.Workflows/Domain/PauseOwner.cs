namespace Recaps.Workflows.Domain;

/// <summary>Who holds a pause: the user (through the API) or an operator (in Temporal, by hand).</summary>
public enum PauseOwner
{
    User,
    Operator,
}

/// <summary>The text of a <see cref="PauseOwner"/>, as stored and as the API shows it.</summary>
public static class PauseOwnerText
{
    private static readonly StateText<PauseOwner> Texts = new(ToText);

    public static string ToText(this PauseOwner owner) => owner switch
    {
        PauseOwner.User => "user",
        PauseOwner.Operator => "operator",
        _ => throw StateText<PauseOwner>.OutOfRange(owner),
    };

    /// <exception cref="UnknownStateTextException">No owner has <paramref name="text"/>.</exception>
    public static PauseOwner Parse(string text) => Texts.Parse(text);
}
