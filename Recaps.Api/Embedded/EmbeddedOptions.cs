namespace Recaps.Api.Embedded;

/// <summary><c>Recaps:Embedded:*</c>: where embedded mode keeps its dependencies, and the ports of the Temporal dev server.</summary>
public sealed class EmbeddedOptions
{
    public const string Section = "Recaps:Embedded";

    /// <summary>Relative to the content root (the project folder under <c>dotnet run</c>); kept across restarts.</summary>
    public string DataFolder { get; set; } = ".recaps";

    /// <summary>The dev server's frontend, as <c>temporal server start-dev</c> uses.</summary>
    public int TemporalPort { get; set; } = 7233;

    public int TemporalUiPort { get; set; } = 8233;
}
