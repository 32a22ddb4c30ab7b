using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Telemetry;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace Recaps.Workflows.RecapRuns;

/// <summary>
/// The activities of <see cref="RecapWorkflow"/>. Each is safe to run again: a retry, a second
/// worker or a replayed workflow gets the first attempt's answer and changes nothing twice.
/// </summary>
public sealed class RecapActivities(
    ScheduleRepository schedules,
    RunRepository runs,
    RecapRepository recaps,
    IChatSource chat,
    RecapGenerators generators,
    RecapWriter writer,
    DeliveryRouter router,
    IOptions<RecapsOptions> options,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<RecapActivities> logger)
{
    private LimitsOptions Limits => options.Value.Limits;

    /// <summary>The failure type of a recap whose every channel failed (retried, then reported).</summary>
    public const string AllChannelsFailedType = "AllChannelsFailed";

    /// <summary>The failure type of data a run cannot proceed with (not retried).</summary>
    public const string InvalidRecapDataType = "InvalidRecapData";

    /// <summary>The failure type of a run whose schedule was deleted after the claim: recorded skipped, nothing stored (not retried).</summary>
    public const string ScheduleDeletedType = "ScheduleDeleted";

    [Activity]
    public async Task<ResolvedOccurrence> ResolveChannelsAsync(ResolveChannelsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = ActivityExecutionContext.Current.CancellationToken;
        // Temporal's catch-up window bounds how late the server may start an occurrence; this bounds how
        // long a started one may wait for a worker. Either way a stale recap is not worth sending. A
        // run-now is a person's explicit request, answered however late.
        var catchupWindow = options.Value.Schedules.CatchupWindow;
        var missedReason = input.RunNowId is null && input.WaitedForWorker > catchupWindow
            ? $"{MissedRuns.NoWorkerReason}: waited {input.WaitedForWorker:c} for a worker, beyond the catch-up window ({catchupWindow:c})"
            : null;
        ClaimedOccurrence? claim;
        try
        {
            claim = await runs.ClaimAsync(input, Limits, missedReason, cancellationToken);
        }
        catch (OccurrenceInProgressException inProgress)
        {
            throw new ApplicationFailureException(inProgress.Message, inProgress, "OccurrenceInProgress");
        }

        if (claim is not ({ } run, { } schedule, _))
        {
            return new(Guid.Empty, "", $"schedule {input.ScheduleId} does not exist", input.NominalTime, input.NominalTime, []);
        }

        if (claim.NewlyMissed)
        {
            metrics.OccurrencesMissed(1);
        }

        if (run.Status is RunStatus.Skipped or RunStatus.Missed)
        {
            logger.Skipped(input.WorkflowId, input.ScheduleId, run.Reason);
            return new(run.Id, run.OccurrenceKey, run.Reason ?? "skipped", input.NominalTime, input.NominalTime, []);
        }

        if (run.Status == RunStatus.Failed)
        {
            // A reset of a failed workflow: its run stays failed; a new start of the occurrence
            // (a trigger or backfill) runs it under a workflow of its own.
            var reason = $"this workflow's run already failed ({run.Error}); start the occurrence again to retry it";
            logger.Skipped(input.WorkflowId, input.ScheduleId, reason);
            return new(run.Id, run.OccurrenceKey, reason, input.NominalTime, input.NominalTime, []);
        }

        var windowStart = run.WindowStart!.Value;
        var windowEnd = run.WindowEnd!.Value;
        var channels = run.Channels ?? await runs.FixChannelsAsync(run.Id, await ChannelsAsync(schedule, windowStart, windowEnd, cancellationToken), cancellationToken);
        // Only for the timetable's occurrences: a run-now is a person asking for a recap, even an empty one.
        if (schedule.Intent.SkipIfEmpty && input.RunNowId is null
            && !await chat.AnyPostsAsync(schedule.UserId, [.. channels.Select(c => new ChannelSince(c.Id, c.PostsAfter(windowStart)))], windowEnd, cancellationToken))
        {
            await runs.SkipEmptyAsync(run.Id, cancellationToken);
            logger.Skipped(input.WorkflowId, input.ScheduleId, OccurrenceClaim.EmptyReason);
            return new(run.Id, run.OccurrenceKey, OccurrenceClaim.EmptyReason, windowStart, windowEnd, []);
        }

        return new(run.Id, run.OccurrenceKey, null, windowStart, windowEnd, channels);
    }

    [Activity]
    public async Task<GeneratedRecap> GenerateRecapAsync(GenerateRecapInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var run = await runs.GetAsync(input.RunId, context.CancellationToken) ?? throw NonRetryable($"run {input.RunId} does not exist");
        // Lines about single channels (and the generators' own) then carry the schedule and the workflow too.
        using var scope = logger.RunScope(run.ScheduleId, run.WorkflowId);
        // The run points at its recap once one is stored (same transaction); until then there is none to find.
        if (run.RecapId is not null && await recaps.FindByRunAsync(run.Id, context.CancellationToken) is { } stored)
        {
            return Summary(stored);
        }

        if (run.Status != RunStatus.Running)
        {
            throw NotRunning(run);
        }

        var schedule = await schedules.GetAsync(run.ScheduleId, context.CancellationToken) ?? throw NonRetryable($"schedule {run.ScheduleId} does not exist");
        if (schedule.DeletedAt is not null)
        {
            // Deleted since the claim: nothing is generated for it (the store checks again, for a delete during generation).
            await runs.SkipDeletedAsync(run.Id, context.CancellationToken);
            throw ScheduleDeleted(run);
        }

        var generator = generators.Find(schedule.Intent.Agent) ?? throw NonRetryable($"agent '{schedule.Intent.Agent}' is not configured");
        var audience = new RecapAudience(schedule.UserId, schedule.Intent.Title, schedule.Intent.CustomInstructions);
        var draft = new RecapDraft(run.Id, audience, run.Channels ?? [], run.WindowStart!.Value, run.WindowEnd!.Value);
        var heartbeat = LateHeartbeat.For(context);
        var written = await writer.WriteAsync(generator, draft, $"{run.Id}/v1/{context.Info.Attempt}", heartbeat.Beat, context.CancellationToken);
        if (written.AllChannelsFailed)
        {
            throw AllChannelsFailed(written);
        }

        heartbeat.Beat();
        var recap = written.Stored(Guid.CreateVersion7(), schedule.Id, draft, clock.GetCurrentInstant(), version: 1);
        var outcome = await recaps.StoreOnceAsync(recap, context.CancellationToken);
        if (outcome.ScheduleDeleted)
        {
            throw ScheduleDeleted(run);
        }

        if (outcome.Recap?.Id == recap.Id)
        {
            // Stored by this attempt: a fallback is counted once.
            metrics.AgentFallback(recap.Agent, recap.FallbackReason);
        }
        return Summary(outcome.Recap ?? throw NotRunning(run));
    }

    /// <summary>Marks the run executed and routes its recap's delivery; both are safe to run again.</summary>
    [Activity]
    public async Task<MarkExecutedResult> MarkExecutedAsync(MarkExecutedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = ActivityExecutionContext.Current.CancellationToken;
        var completion = await CompleteAsync(input.RunId, cancellationToken);
        // Routed here rather than in an activity of its own: one activity task less per run on the server.
        // A retry finds the run ended by an attempt that was lost before routing, and reads its recap.
        var recapId = completion.Ended ? completion.RecapId : (await runs.GetAsync(input.RunId, cancellationToken))?.RecapId;
        return new(completion.Counted, completion.ScheduleCompleted, recapId is { } id ? await router.RouteAsync(id, cancellationToken) : []);
    }

    [Activity]
    public async Task MarkFailedAsync(MarkFailedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = ActivityExecutionContext.Current.CancellationToken;
        if (await runs.GetByWorkflowAsync(input.WorkflowId, cancellationToken) is { RecapId: not null } delivered)
        {
            // The recap is stored, so the occurrence happened: count it and move the watermark, or
            // the next recap would repeat its posts.
            await CompleteAsync(delivered.Id, cancellationToken);
            return;
        }

        logger.Failed(input.WorkflowId, ActivityExecutionContext.Current.Info.WorkflowRunId, input.ScheduleId, input.Error, input.Detail);
        if (await runs.FailAsync(input, cancellationToken))
        {
            metrics.RecapFailed();
        }
    }

    private async Task<RunCompletion> CompleteAsync(Guid runId, CancellationToken cancellationToken)
    {
        var completion = await runs.CompleteAsync(runId, cancellationToken);
        if (completion.Counted)
        {
            metrics.RecapCompleted(completion.DeliveryDelay);
        }

        return completion;
    }

    private async Task<IReadOnlyList<RecapChannel>> ChannelsAsync(StoredSchedule schedule, Instant windowStart, Instant windowEnd, CancellationToken cancellationToken)
    {
        if (schedule.Intent.ChannelMode == ChannelMode.AllUnreads)
        {
            var unread = await chat.UnreadChannelsAsync(schedule.UserId, windowStart, windowEnd, cancellationToken);
            return [.. unread.Select(c => new RecapChannel(c.Id, c.Name, c.ReadUpTo))];
        }

        // Channels the user has left since choosing them are left out, not an error.
        var readable = (await chat.ReadableChannelsAsync(schedule.UserId, cancellationToken)).ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);
        return [.. schedule.Intent.ChannelIds.Where(readable.ContainsKey).Select(id => new RecapChannel(id, readable[id], null))];
    }

    internal static ApplicationFailureException AllChannelsFailed(WrittenRecap written) =>
        new($"Every channel failed: {string.Join(", ", written.Parts.Select(p => p.ChannelId))}", AllChannelsFailedType);

    private static GeneratedRecap Summary(StoredRecap recap) => new(
        recap.Id, recap.Channels.Count, recap.Channels.Sum(c => c.MessageCount), recap.Channels.Count(c => c.Error is not null));

    // A late attempt of a run that failed or was taken over as abandoned: storing its recap would repeat posts.
    private static ApplicationFailureException NotRunning(StoredRun run) =>
        NonRetryable($"run {run.Id} is no longer running (failed or taken over); its recap is not stored");

    // Recorded skipped, as a claim after the delete would have been; the workflow then ends with schedule_deleted.
    private ApplicationFailureException ScheduleDeleted(StoredRun run)
    {
        logger.Skipped(run.WorkflowId, run.ScheduleId, OccurrenceClaim.DeletedReason);
        return new($"schedule {run.ScheduleId} was deleted after run {run.Id} was claimed; no recap is made", ScheduleDeletedType, nonRetryable: true);
    }

    internal static ApplicationFailureException NonRetryable(string message) => new(message, InvalidRecapDataType, nonRetryable: true);
}
