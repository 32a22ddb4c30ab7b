using NodaTime;
using Recaps.Workflows.RecapRuns;
using Temporalio.Workflows;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// <see cref="RecapWorkflow"/> as a careless change could leave it: the same activities under the
/// workflow type name the histories record, but the run marked executed before its recap is
/// generated. Replaying a recorded history with it must fail, or the recorded histories guard nothing.
/// </summary>
[Workflow("RecapWorkflow")]
public sealed class ReorderedRecapWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };

    [WorkflowRun]
    public async Task<RecapOutcome> RunAsync(RecapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nominal = Instant.FromDateTimeOffset(Workflow.TypedSearchAttributes.Get(RecapWorkflow.ScheduledStartTime));
        var occurrence = await Workflow.ExecuteActivityAsync(
            (RecapActivities a) => a.ResolveChannelsAsync(new(request.ScheduleId, Workflow.Info.WorkflowId, nominal, request.RunId)), Options);
        await Workflow.ExecuteActivityAsync((RecapActivities a) => a.MarkExecutedAsync(new(occurrence.RunId)), Options);
        var recap = await Workflow.ExecuteActivityAsync((RecapActivities a) => a.GenerateRecapAsync(new(occurrence.RunId)), Options);
        return new(RecapOutcomeStatus.Completed, occurrence.RunId, recap.RecapId, null);
    }
}
