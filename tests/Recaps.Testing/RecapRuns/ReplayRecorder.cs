using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;
using Temporalio.Worker.Interceptors;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// Records what a replayed workflow did. The replayer only checks the workflow's commands
/// against the history: it discards the activity inputs the workflow computed and the value
/// it returned or the exception it failed with.
/// </summary>
internal sealed class ReplayRecorder : IWorkerInterceptor
{
    private readonly List<ScheduledActivity> activities = [];

    public IReadOnlyList<ScheduledActivity> Activities => activities;

    public object? Result { get; private set; }

    public Exception? Failure { get; private set; }

    /// <summary>
    /// Replays <paramref name="history"/> with the current <see cref="RecapWorkflow"/>; throws
    /// <see cref="WorkflowNondeterminismException"/> when the workflow's commands differ from it.
    /// </summary>
    public static async Task<ReplayRecorder> ReplayAsync(WorkflowHistory history)
    {
        var recorder = new ReplayRecorder();
        var options = new WorkflowReplayerOptions { DataConverter = RecapsDataConverter.Instance, Interceptors = [recorder] };
        await new WorkflowReplayer(options.AddWorkflow<RecapWorkflow>()).ReplayWorkflowAsync(history, cancellationToken: TestContext.Current.CancellationToken);
        return recorder;
    }

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) =>
        new Inbound(this, nextInterceptor);

    private sealed class Inbound(ReplayRecorder recorder, WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(recorder, outbound));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            try
            {
                recorder.Result = await base.ExecuteWorkflowAsync(input);
                return recorder.Result;
            }
            catch (Exception failure)
            {
                recorder.Failure = failure;
                throw;
            }
        }
    }

    private sealed class Outbound(ReplayRecorder recorder, WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            recorder.activities.Add(new(input.Activity, input.Args.SingleOrDefault()));
            return base.ScheduleActivityAsync<TResult>(input);
        }
    }
}

/// <summary>
/// An activity as the workflow asked to schedule it: its type and its one input record. The SDK
/// may still refuse it (an activity asked for after the workflow was cancelled is never scheduled).
/// </summary>
internal sealed record ScheduledActivity(string Type, object? Input);
