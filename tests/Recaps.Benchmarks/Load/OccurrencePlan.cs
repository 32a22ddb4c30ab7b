using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// The occurrences a load run starts, in rounds: round r holds every schedule's r-th daily
/// occurrence after <see cref="LoadOptions.Start"/>, with the workflow id Temporal would give it.
/// Rounds run one after another, so a schedule never has two runs in flight (which the claim
/// would reject as in progress).
/// </summary>
internal sealed record OccurrencePlan(IReadOnlyList<IReadOnlyList<ResolveChannelsInput>> Rounds)
{
    private static readonly InstantPattern TemporalSuffix = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    public static async Task<OccurrencePlan> LoadAsync(NpgsqlDataSource dataSource, LoadOptions options, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand("SELECT id FROM schedules ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var schedules = new ScheduleRepository(dataSource, SystemClock.Instance);
        var rounds = Enumerable.Range(0, options.TotalRounds).Select(_ => new List<ResolveChannelsInput>(ids.Count)).ToArray();
        foreach (var id in ids)
        {
            var schedule = await schedules.GetAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Schedule {id} vanished.");
            var occurrences = RecurrenceEngine.Next(schedule.RecurrenceIn(TimeZoneData.BuiltIn), LoadOptions.Start, options.TotalRounds);
            for (var round = 0; round < rounds.Length; round++)
            {
                var nominal = occurrences[round].At;
                rounds[round].Add(new ResolveChannelsInput(
                    id, string.Create(CultureInfo.InvariantCulture, $"recap-{id}-{TemporalSuffix.Format(nominal)}"), nominal, null));
            }
        }

        return new OccurrencePlan(rounds);
    }
}
