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

        if ((TlsClientCertPath is null) != (TlsClientKeyPath is null))
        {
            yield return "Temporal:TlsClientCertPath and Temporal:TlsClientKeyPath must be set together.";
        }
    }
}
