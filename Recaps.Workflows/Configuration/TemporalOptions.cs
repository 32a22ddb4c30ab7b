namespace Recaps.Workflows.Configuration;

/// <summary>The <c>Temporal</c> configuration section.</summary>
public sealed class TemporalOptions
{
    public const string Section = "Temporal";

    public const string DefaultTaskQueue = "recaps";

    public string Address { get; set; } = "";

    public string Namespace { get; set; } = "default";

    public string TaskQueue { get; set; } = DefaultTaskQueue;

    /// <summary>Temporal Cloud API key; turns TLS on.</summary>
    public string? ApiKey { get; set; }

    public bool Tls { get; set; }

    public string? TlsClientCertPath { get; set; }

    public string? TlsClientKeyPath { get; set; }

    /// <summary>Base address of the Temporal Web UI, for links in run history.</summary>
    public Uri? UiUrl { get; set; }

    /// <summary>
    /// Runs the worker keeps in memory between their workflow tasks (the SDK's sticky cache, whose own
    /// default is 10,000). Bounded so that a due minute starting more runs than the worker finishes
    /// cannot fill it; a run pushed out replays its short history at its next task (BENCHMARKS.md §11).
    /// </summary>
    public int MaxCachedWorkflows { get; set; } = 1_000;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Address))
        {
            yield return "Temporal:Address is required (host:port of the Temporal frontend, e.g. localhost:7233).";
        }

        if (string.IsNullOrWhiteSpace(Namespace))
        {
            yield return "Temporal:Namespace must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(TaskQueue))
        {
            yield return "Temporal:TaskQueue must not be empty.";
        }

        if (MaxCachedWorkflows < 0)
        {
            yield return "Temporal:MaxCachedWorkflows must be 0 or more (0 keeps no run in memory).";
        }

        if ((TlsClientCertPath is null) != (TlsClientKeyPath is null))
        {
            yield return "Temporal:TlsClientCertPath and Temporal:TlsClientKeyPath must be set together.";
        }
    }
}
