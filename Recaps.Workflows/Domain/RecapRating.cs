namespace Recaps.Workflows.Domain;

/// <summary>A recap owner's verdict on it.</summary>
public enum RecapRating
{
    Up,
    Down,
}

/// <summary>The text of a <see cref="RecapRating"/>, as stored and as the API shows and takes it.</summary>
public static class RecapRatingText
{
    private static readonly StateText<RecapRating> Texts = new(ToText);

    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<RecapRating>().Select(ToText)];

    public static string ToText(this RecapRating rating) => rating switch
    {
        RecapRating.Up => "up",
        RecapRating.Down => "down",
        _ => throw StateText<RecapRating>.OutOfRange(rating),
    };

    /// <exception cref="UnknownStateTextException">No rating has <paramref name="text"/>.</exception>
    public static RecapRating Parse(string text) => Texts.Parse(text);

    /// <returns>Null for any other text (a request's field error).</returns>
    public static RecapRating? Find(string? text) => Texts.Find(text);
}
