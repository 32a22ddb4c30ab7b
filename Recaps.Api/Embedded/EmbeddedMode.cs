using Recaps.DevTools;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Configuration;

namespace Recaps.Api.Embedded;

/// <summary>
/// In Development, one <c>dotnet run --project Recaps.Api</c> is the whole system: the API, the
/// worker and the schedule sync in one process, on the configured database and Temporal or, where
/// none is configured, on a private PostgreSQL cluster and a Temporal dev server kept in the data
/// folder; with demo data and a demo token. Any other environment never starts a dependency: what
/// is not configured fails at start-up, naming the setting.
/// </summary>
public sealed class EmbeddedMode : IAsyncDisposable
{
    private readonly FileStream _instanceLock;
    private readonly EmbeddedPostgres? _postgres;
    private readonly EmbeddedTemporal? _temporal;

    private EmbeddedMode(string dataFolder, FileStream instanceLock, EmbeddedPostgres? postgres, EmbeddedTemporal? temporal, Uri? temporalUiUrl)
    {
        DataFolder = dataFolder;
        _instanceLock = instanceLock;
        _postgres = postgres;
        _temporal = temporal;
        TemporalUiUrl = temporalUiUrl;
    }

    public string DataFolder { get; }

    public Uri? TemporalUiUrl { get; }

    public string DatabaseDescription => _postgres is null ? "as configured (ConnectionStrings:Recaps)" : $"private cluster in {_postgres.Folder}";

    public string TemporalDescription => _temporal is null ? "as configured (Temporal:Address)" : $"dev server at {_temporal.Address}, run by {_temporal.Source}";

    /// <summary>
    /// Outside Development, null. In Development, starts what is not configured, points the
    /// configuration at it, and adds the worker, the sync, the demo data and the start-up banner to
    /// <paramref name="builder"/> (after <c>AddRecapsApi</c>, so the demo data follows the migrations).
    /// </summary>
    /// <exception cref="DependencyUnavailableException">A dependency can be neither found nor started; the message names the fixes.</exception>
    public static async Task<EmbeddedMode?> StartAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Environment.IsDevelopment())
        {
            return null;
        }

        var configuration = builder.Configuration;
        var options = configuration.GetSection(EmbeddedOptions.Section).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        var folder = Path.GetFullPath(options.DataFolder, builder.Environment.ContentRootPath);
        var temporalOptions = configuration.GetSection(TemporalOptions.Section).Get<TemporalOptions>() ?? new TemporalOptions();
        var settings = new Dictionary<string, string?>();
        var instanceLock = LockDataFolder(folder);
        EmbeddedPostgres? postgres = null;
        EmbeddedTemporal? temporal = null;
        try
        {
            if (string.IsNullOrEmpty(configuration.GetConnectionString(RecapsHostingExtensions.ConnectionStringName)))
            {
                postgres = await EmbeddedPostgres.StartAsync(
                    Path.Combine(folder, "postgres"), PostgresCluster.FindBinaries(), cancellationToken);
                settings[$"ConnectionStrings:{RecapsHostingExtensions.ConnectionStringName}"] = postgres.ConnectionString;
            }

            if (string.IsNullOrEmpty(temporalOptions.Address))
            {
                temporal = await EmbeddedTemporal.StartAsync(options, EmbeddedTemporal.FindCli(), folder, temporalOptions.Namespace, cancellationToken);
                settings[$"{TemporalOptions.Section}:{nameof(TemporalOptions.Address)}"] = temporal.Address;
                // The UI of the server that runs, whatever an earlier configuration said.
                settings[$"{TemporalOptions.Section}:{nameof(TemporalOptions.UiUrl)}"] = temporal.UiUrl.ToString();
            }

            if (configuration["Auth:SigningKey"] is null && configuration["Auth:Authority"] is null)
            {
                settings["Auth:SigningKey"] = DemoIdentity.LoadOrCreateSigningKey(folder);
            }
        }
        catch
        {
            await DisposeAsync(instanceLock, temporal, postgres);
            throw;
        }

        configuration.AddInMemoryCollection(settings);
        var embedded = new EmbeddedMode(folder, instanceLock, postgres, temporal, temporal?.UiUrl ?? temporalOptions.UiUrl);
        builder.AddRecapsWorker();
        builder.AddRecapsSync();
        builder.Services.AddSingleton(embedded);
        builder.Services.AddHostedService<DemoData>();
        builder.Services.AddHostedService<EmbeddedBanner>();
        return embedded;
    }

    public ValueTask DisposeAsync() => DisposeAsync(_instanceLock, _temporal, _postgres);

    /// <summary>
    /// One embedded instance per data folder: a second would share the first one's cluster and, on
    /// its way out, stop it. The lock goes with the process, however it ends.
    /// </summary>
    private static FileStream LockDataFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            return new FileStream(Path.Combine(folder, "instance.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new DependencyUnavailableException(
                $"Another Recaps in embedded mode is using {folder}.\n"
                + "Fix one of:\n  - stop it, or use it: it already runs the API, the worker and the sync\n"
                + "  - give this one a folder and ports of its own: Recaps__Embedded__DataFolder=<folder> Recaps__Embedded__TemporalPort=<port> Recaps__Embedded__TemporalUiPort=<port> Recaps__Management__Url=http://127.0.0.1:<port> --urls http://localhost:<port>",
                error);
        }
    }

    private static async ValueTask DisposeAsync(FileStream instanceLock, EmbeddedTemporal? temporal, EmbeddedPostgres? postgres)
    {
        try
        {
            if (temporal is not null)
            {
                await temporal.DisposeAsync();
            }

            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
        finally
        {
            await instanceLock.DisposeAsync();
        }
    }
}
