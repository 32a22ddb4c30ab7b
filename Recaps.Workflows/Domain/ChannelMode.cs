namespace Recaps.Workflows.Domain;

public enum ChannelMode
{
    /// <summary>The chosen channels the user can still read.</summary>
    Specific,

    /// <summary>Every channel with posts the user has not read; only those posts count.</summary>
    AllUnreads,
}

public static class ChannelModes
{
    public const string Specific = "specific";
    public const string AllUnreads = "allUnreads";

    public static string ToWire(this ChannelMode mode) => mode == ChannelMode.Specific ? Specific : AllUnreads;

    public static ChannelMode? FromWire(string? value) => value switch
    {
        Specific => ChannelMode.Specific,
        AllUnreads => ChannelMode.AllUnreads,
        _ => null,
    };
}
