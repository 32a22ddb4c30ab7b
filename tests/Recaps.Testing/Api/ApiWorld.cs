using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using NodaTime.Text;
using Npgsql;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Tests.Api;

/// <summary>
/// What happens to a schedule outside the API, done to the API's own database and clock: a worker
/// running an occurrence, and the reconciler mirroring an operator's pause from Temporal.
/// </summary>
internal static class ApiWorld
{
    /// <summary>
    /// Runs the schedule's first upcoming occurrence through the three activities as the worker
    /// would, at its nominal time; a one-time schedule is then completed.
    /// </summary>
    public static Task<(ResolvedOccurrence Occurrence, GeneratedRecap? Recap)> RunFirstOccurrenceAsync(this ApiHost api, JsonElement schedule) =>
        RunFirstOccurrenceAsync(api.Services, api.Clock, schedule);

    /// <summary>The same, on any API's services and fake clock (the browser tier's <c>DevelopmentApi</c> too).</summary>
    public static async Task<(ResolvedOccurrence Occurrence, GeneratedRecap? Recap)> RunFirstOccurrenceAsync(IServiceProvider services, FakeClock clock, JsonElement schedule)
    {
        var nominal = InstantPattern.General.Parse(schedule.GetProperty("nextRuns")[0].Text("at")).Value;
        var scheduleId = Guid.Parse(schedule.Id());
        clock.Reset(nominal);
        var activities = ActivatorUtilities.CreateInstance<RecapActivities>(services);
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(
            new ResolveChannelsInput(scheduleId, RecapWorld.ScheduledWorkflowId(scheduleId, nominal), nominal, null)));
        if (resolved.Skipped)
        {
            return (resolved, null);
        }

        var recap = await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));
        await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));
        return (resolved, recap);
    }

    /// <summary>What the reconciler stores when an operator pauses the Temporal schedule by hand.</summary>
    public static Task OperatorPauseAsync(this ApiHost api, string scheduleId, string reason) =>
        api.Database.OperatorPauseAsync(scheduleId, api.Clock.GetCurrentInstant(), reason);

    /// <summary>What the reconciler stores when an operator pauses the Temporal schedule by hand at <paramref name="at"/>.</summary>
    public static Task OperatorPauseAsync(this NpgsqlDataSource database, string scheduleId, Instant at, string reason) => database.ExecuteAsync(
        "UPDATE schedules SET operator_paused_at = $2, operator_pause_reason = $3 WHERE id = $1", Guid.Parse(scheduleId), at, reason);

    /// <summary>What the reconciler stores when the operator unpauses it.</summary>
    public static Task OperatorResumeAsync(this ApiHost api, string scheduleId) => api.Database.ExecuteAsync(
        "UPDATE schedules SET operator_paused_at = NULL, operator_pause_reason = NULL WHERE id = $1", Guid.Parse(scheduleId));

    private static async Task ExecuteAsync(this NpgsqlDataSource database, string sql, params object[] args)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync(ApiCalls.Cancel));
    }
}
