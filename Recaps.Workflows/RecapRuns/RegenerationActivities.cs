using Microsoft.Extensions.Logging;
using NodaTime;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;
using Temporalio.Activities;

namespace Recaps.Workflows.RecapRuns;

/// <summary>
/// The activity of <see cref="RegenerateRecapWorkflow"/>: the run's window and channels as its first
/// recap had them, written by <see cref="RecapWriter"/> as a schedule's run writes them. Safe to run
/// again: a stored version is returned as it is, without spending anything.
/// </summary>
public sealed class RegenerationActivities(
    RecapRegenerations regenerations,
    RunRepository runs,
    ScheduleRepository schedules,
    RecapRepository recaps,
    RecapGenerators generators,
    RecapWriter writer,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<RegenerationActivities> logger)
{
    [Activity]
    public async Task<RegeneratedRecap> RegenerateRecapAsync(RegenerateRecapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = ActivityExecutionContext.Current;
        var regeneration = await regenerations.GetAsync(request.RegenerationId, context.CancellationToken)
            ?? throw RecapActivities.NonRetryable($"regeneration {request.RegenerationId} does not exist");
        if (await recaps.FindOwnedAsync(regeneration.RecapId, regeneration.UserId, context.CancellationToken) is { } stored)
        {
            return Result(stored);
        }

        var run = await runs.GetAsync(regeneration.RunId, context.CancellationToken) ?? throw RecapActivities.NonRetryable($"run {regeneration.RunId} does not exist");
        var first = await recaps.FindByRunAsync(run.Id, context.CancellationToken) ?? throw RecapActivities.NonRetryable($"run {run.Id} has no recap to regenerate");
        var schedule = await schedules.GetAsync(run.ScheduleId, context.CancellationToken) ?? throw RecapActivities.NonRetryable($"schedule {run.ScheduleId} does not exist");
        var generator = generators.Find(regeneration.Agent) ?? throw RecapActivities.NonRetryable($"agent '{regeneration.Agent}' is not configured");
        var audience = new RecapAudience(first.UserId, first.Title, schedule.Intent.CustomInstructions);
        var draft = new RecapDraft(run.Id, audience, run.Channels ?? [], first.WindowStart, first.WindowEnd);
        var heartbeat = LateHeartbeat.For(context);
        var written = await writer.WriteAsync(
            generator, draft, $"{run.Id}/v{regeneration.Version}/{context.Info.Attempt}", heartbeat.Beat, context.CancellationToken);
        if (written.AllChannelsFailed)
        {
            throw RecapActivities.AllChannelsFailed(written);
        }

        heartbeat.Beat();
        var recap = written.Stored(regeneration.RecapId, first.ScheduleId, draft, clock.GetCurrentInstant(), regeneration.Version);
        var (version, inserted) = await recaps.StoreVersionAsync(recap, context.CancellationToken);
        if (inserted)
        {
            metrics.AgentFallback(version.Agent, version.FallbackReason);
        }

        return Result(version);
    }

    /// <summary>Records the request failed, so asking again makes a new version; the detail goes to the log.</summary>
    [Activity]
    public async Task MarkRegenerationFailedAsync(MarkRegenerationFailedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        logger.RegenerationFailed(context.Info.WorkflowId, context.Info.WorkflowRunId, input.RegenerationId, input.Error, input.Detail);
        await regenerations.MarkFailedAsync(input.RegenerationId, input.Error, context.CancellationToken);
    }

    private static RegeneratedRecap Result(StoredRecap recap) => new(recap.Id, recap.Version, recap.Agent, recap.FallbackReason);
}
