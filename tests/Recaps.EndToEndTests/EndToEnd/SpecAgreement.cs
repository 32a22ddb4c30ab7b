using System.Collections.Concurrent;
using System.Diagnostics;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Client;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Puts each case's schedule on a server as the product writes it (paused, so nothing fires; no
/// jitter, so listed times are nominal times), asks the server for its matching times in each window,
/// one call per window, tallies them against the preview's occurrences, and deletes the schedules.
/// </summary>
internal static class SpecAgreement
{
    /// <summary>
    /// Calls in flight. On two cores a dev server answers about as fast at 16 as at 32, and at 32 more of
    /// its queries wait 5 s for the scheduler workflow's worker (its log's "Slow gRPC call").
    /// </summary>
    private const int InFlight = 16;

    public static readonly SchedulesOptions Options = new() { Jitter = TimeSpan.Zero };

    public static async Task<AgreementRun> CheckAsync(ITemporalClient client, IReadOnlyList<AgreementCase> cases, Instant now, CancellationToken cancellationToken)
    {
        var prefix = $"spec-agreement-{Guid.NewGuid():N}-";
        var schedules = cases.Select((c, i) => (Case: c, Id: $"{prefix}{i}")).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken };
        var created = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(schedules, parallel, async (s, token) =>
            {
                // An unused task queue: paused, the schedule starts nothing, and no worker would take it up.
                var schedule = TemporalScheduleSpecTranslator.Translate(s.Case.Schedule, TimeZoneData.BuiltIn, Options, $"{prefix}unused", now);
                await client.CreateScheduleAsync(s.Id, schedule, new() { Rpc = new() { CancellationToken = token } });
                created.Add(s.Id);
            });
            var creating = clock.Elapsed;
            var tally = new AgreementTally();
            await Parallel.ForEachAsync(schedules, parallel, async (s, token) =>
            {
                foreach (var window in s.Case.Windows)
                {
                    tally.Add(s.Case, window, await TemporalScheduleGateway.MatchingTimesAsync(client, s.Id, window, token));
                }
            });
            return new(cases.Select(c => c.Recurrence.Zone.Id).Distinct().Count(), cases.Count, tally, creating, clock.Elapsed - creating);
        }
        finally
        {
            await Parallel.ForEachAsync(created, parallel, async (id, token) => await client.GetScheduleHandle(id).DeleteAsync(new() { CancellationToken = token }));
        }
    }
}

/// <summary>What one agreement run compared, and how long it took to create the schedules and to compare.</summary>
internal sealed record AgreementRun(int Zones, int Schedules, AgreementTally Tally, TimeSpan Creating, TimeSpan Comparing)
{
    public override string ToString() =>
        $"{Zones} zones, {Schedules} schedules created in {Creating.TotalSeconds:0.0} s, compared in {Comparing.TotalSeconds:0.0} s: {Tally.Report()}";
}
