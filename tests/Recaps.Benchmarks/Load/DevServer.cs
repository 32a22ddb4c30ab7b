using System.Diagnostics;
using System.Globalization;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Testing;

namespace Recaps.Benchmarks.Load;

/// <summary>A fresh dev server of the CLI (in-memory store, no UI), its client speaking Recaps' payloads, and its process's CPU time.</summary>
internal sealed class DevServer(WorkflowEnvironment environment, ITemporalClient client, int? processId) : IAsyncDisposable
{
    public ITemporalClient Client => client;

    /// <summary>The frontend's host:port, for a process of its own to connect to.</summary>
    public string Address => client.Connection.Options.TargetHost!;

    /// <summary>Its CPU time and memory, as one process of a load run.</summary>
    public ProcessMeter Meter() =>
        new("Temporal dev server", Cpu, () => processId is { } id && File.Exists($"/proc/{id}/status") ? ProcessMemory.Read(id) : null);

    public static async Task<DevServer> StartAsync(string cli, CancellationToken cancellationToken)
    {
        var before = ChildProcesses();
        var environment = await WorkflowEnvironment.StartLocalAsync(new()
        {
            Namespace = "default",
            DevServerOptions = new() { ExistingPath = cli, LogLevel = "error" },
        });
        try
        {
            var client = await TemporalClient.ConnectAsync(new(environment.Client.Connection.Options.TargetHost!)
            {
                Namespace = "default",
                DataConverter = RecapsDataConverter.Instance,
            });
            cancellationToken.ThrowIfCancellationRequested();
            return new(environment, client, ChildProcesses().Except(before).Cast<int?>().FirstOrDefault());
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>User and system time of the server process, from <c>/proc</c>; zero when it was not found.</summary>
    public TimeSpan Cpu()
    {
        if (processId is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return TimeSpan.Zero;
        }

        var fields = File.ReadAllText($"/proc/{id}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name; in clock ticks (100 a second).
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
    }

    /// <summary>Waits until the server uses under 5 % of a core over a second, or two minutes have passed.</summary>
    public async Task QuietAsync()
    {
        var waited = Stopwatch.StartNew();
        var before = Cpu();
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            (var used, before) = (Cpu() - before, Cpu());
            if (used < TimeSpan.FromMilliseconds(50))
            {
                return;
            }
        }
        while (waited.Elapsed < TimeSpan.FromMinutes(2));
    }

    /// <summary>How many Recaps-named schedules the server lists, once it lists <paramref name="expected"/> or a minute has passed.</summary>
    public async Task<int> ListedAsync(int expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var listed = 0;
            await foreach (var schedule in client.ListSchedulesAsync(new() { Rpc = new() { CancellationToken = cancellationToken } }))
            {
                listed += schedule.Id.StartsWith(TemporalScheduleSpecTranslator.ScheduleIdPrefix, StringComparison.Ordinal) ? 1 : 0;
            }

            if (listed == expected || deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                return listed;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await environment.DisposeAsync();

    /// <summary>This process's children named <c>temporal</c> (the CLI).</summary>
    private static HashSet<int> ChildProcesses() =>
        [.. Directory.GetDirectories("/proc/self/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            .Where(p => File.Exists($"/proc/{p}/comm") && File.ReadAllText($"/proc/{p}/comm").Trim() == "temporal")];
}
