namespace Recaps.Workflows.Domain;

/// <summary>A recap owner's verdict on it.</summary>
public enum RecapRating
{
    Up,
    Down,
}

/// <summary>The one mapping between <see cref="RecapRating"/> and its wire and stored text.</summary>
public static class RecapRatingText
{
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<RecapRating>().Select(ToText)];

    public static string ToText(this RecapRating rating) => rating switch
    {
        RecapRating.Up => "up",
        RecapRating.Down => "down",
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, "Not a recap rating."),
    };

    /// <returns>Null for any other text.</returns>
    public static RecapRating? Parse(string? text) => Enum.GetValues<RecapRating>().Cast<RecapRating?>().FirstOrDefault(r => r!.Value.ToText() == text);
}
