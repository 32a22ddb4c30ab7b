using System.Globalization;
using Google.Protobuf;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Worker;
using ProtoDuration = Google.Protobuf.WellKnownTypes.Duration;
using TaskQueue = Temporalio.Api.TaskQueue.V1.TaskQueue;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// Builds the history a Temporal server records for one <see cref="RecapWorkflow"/> run, as if
/// one worker ran it task by task: every command the workflow sends (schedule or cancel an
/// activity, complete, fail, end cancelled) is recorded after a completed workflow task, and
/// every event that wakes the workflow (an activity's result, a cancellation request) opens the
/// next one. Commands recorded one after another belong to the same workflow task.
/// </summary>
internal sealed class RecapHistoryBuilder
{
    private const string Identity = "replay-test@recaps";
    private static ProtoDuration WorkflowTaskTimeout => ProtoDuration.FromTimeSpan(TimeSpan.FromSeconds(10));
    private static readonly DataConverter Converter = RecapsDataConverter.Instance;

    private readonly List<HistoryEvent> events = [];
    private readonly Dictionary<string, RunningActivity> running = new(StringComparer.Ordinal);
    private readonly Instant startedAt;
    private long lastWorkflowTaskCompletedId;
    private long? scheduledWorkflowTaskId;
    private int activityCount;

    private RecapHistoryBuilder(Instant startedAt) => this.startedAt = startedAt;

    /// <summary>
    /// What the workflow computes as its wait for a worker in a built history: events are 100 ms apart,
    /// and the first workflow task starts two events after the execution.
    /// </summary>
    public static readonly TimeSpan WaitedForWorker = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A run started at <paramref name="startedAt"/>; a schedule sets <paramref name="scheduledStartTime"/>
    /// (the nominal time, before jitter), a run-now start leaves it out.
    /// </summary>
    public static RecapHistoryBuilder Started(RecapRequest request, Instant startedAt, Instant? scheduledStartTime = null)
    {
        var builder = new RecapHistoryBuilder(startedAt);
        var runId = Guid.NewGuid().ToString();
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new WorkflowType { Name = "RecapWorkflow" },
            TaskQueue = new TaskQueue { Name = TemporalOptions.DefaultTaskQueue, Kind = TaskQueueKind.Normal },
            Input = Payloads(request),
            WorkflowTaskTimeout = WorkflowTaskTimeout,
            OriginalExecutionRunId = runId,
            FirstExecutionRunId = runId,
            Attempt = 1,
            Identity = Identity,
        };
        if (scheduledStartTime is { } scheduled)
        {
            // Spelled as the server writes it, not through the workflow's key, so a misspelt key fails.
            // The SDK refuses a search attribute whose payload does not name its indexed type.
            var payload = Converter.PayloadConverter.ToPayload(scheduled);
            payload.Metadata["type"] = ByteString.CopyFromUtf8("Datetime");
            started.SearchAttributes = new SearchAttributes { IndexedFields = { ["TemporalScheduledStartTime"] = payload } };
        }

        builder.Add(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = started);
        return builder;
    }

    /// <summary>An activity the workflow scheduled, started and completed with <paramref name="result"/>.</summary>
    public RecapHistoryBuilder ActivityCompleted(string activityType, object input, object? result) =>
        ActivityScheduled(activityType, input).ScheduledActivityCompleted(activityType, result);

    /// <summary>
    /// An activity the workflow scheduled, still running: a server records an attempt's
    /// ActivityTaskStarted only when the attempt ends (every activity has a retry policy), so until
    /// then the history holds only its ActivityTaskScheduled.
    /// </summary>
    public RecapHistoryBuilder ActivityScheduled(string activityType, object input)
    {
        if (running.ContainsKey(activityType))
        {
            throw new InvalidOperationException($"{activityType} is already running.");
        }

        CompleteWorkflowTask();
        var scheduledId = Add(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = new()
        {
            // Activity ids are the workflow's activity sequence numbers.
            ActivityId = (++activityCount).ToString(CultureInfo.InvariantCulture),
            ActivityType = new ActivityType { Name = activityType },
            TaskQueue = new TaskQueue { Name = TemporalOptions.DefaultTaskQueue, Kind = TaskQueueKind.Normal },
            Input = Payloads(input),
            StartToCloseTimeout = ProtoDuration.FromTimeSpan(TimeSpan.FromMinutes(1)),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        running[activityType] = new(scheduledId);
        return this;
    }

    /// <summary>A running activity (<see cref="ActivityScheduled"/>) whose attempt completed with <paramref name="result"/>.</summary>
    public RecapHistoryBuilder ScheduledActivityCompleted(string activityType, object? result, int attempt = 1)
    {
        var (activity, startedId) = EndAttempt(activityType, attempt);
        Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = activity.ScheduledId,
            StartedEventId = startedId,
            Result = Payloads(result),
            Identity = Identity,
        });
        return this;
    }

    /// <summary>
    /// An activity whose last attempt failed with <paramref name="failure"/>: a non-retryable
    /// failure ends it on its first attempt, a retryable one after <paramref name="attempts"/>.
    /// </summary>
    public RecapHistoryBuilder ActivityFailed(string activityType, object input, ApplicationFailureException failure, int attempts = 1)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ActivityScheduled(activityType, input);
        var (activity, startedId) = EndAttempt(activityType, attempts);
        Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
        {
            ScheduledEventId = activity.ScheduledId,
            StartedEventId = startedId,
            Failure = Converter.FailureConverter.ToFailure(failure, Converter.PayloadConverter),
            RetryState = failure.NonRetryable ? RetryState.NonRetryableFailure : RetryState.MaximumAttemptsReached,
            Identity = Identity,
        });
        return this;
    }

    /// <summary>A client asked to cancel the run (<c>WorkflowHandle.CancelAsync</c>, the CLI, the UI).</summary>
    public RecapHistoryBuilder CancelRequested(string reason)
    {
        AwaitWorkflowTask();
        Add(EventType.WorkflowExecutionCancelRequested, e => e.WorkflowExecutionCancelRequestedEventAttributes = new()
        {
            Cause = reason,
            Identity = Identity,
        });
        return this;
    }

    /// <summary>
    /// The workflow asked to cancel a running activity (the SDK does when the activity's
    /// cancellation token fires). The server records ActivityTaskCancelRequested for an activity
    /// a worker is running; it tells the worker on its next heartbeat.
    /// </summary>
    public RecapHistoryBuilder ActivityCancelRequested(string activityType)
    {
        var activity = Running(activityType);
        CompleteWorkflowTask();
        var requestedId = Add(EventType.ActivityTaskCancelRequested, e => e.ActivityTaskCancelRequestedEventAttributes = new()
        {
            ScheduledEventId = activity.ScheduledId,
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        running[activityType] = activity with { CancelRequestedId = requestedId };
        return this;
    }

    /// <summary>A running activity whose attempt acknowledged the cancellation request (it ended cancelled).</summary>
    public RecapHistoryBuilder ScheduledActivityCanceled(string activityType, int attempt = 1)
    {
        var (activity, startedId) = EndAttempt(activityType, attempt);
        var requestedId = activity.CancelRequestedId
            ?? throw new InvalidOperationException($"{activityType} was not asked to cancel.");
        Add(EventType.ActivityTaskCanceled, e => e.ActivityTaskCanceledEventAttributes = new()
        {
            ScheduledEventId = activity.ScheduledId,
            StartedEventId = startedId,
            LatestCancelRequestedEventId = requestedId,
            Identity = Identity,
        });
        return this;
    }

    public RecapHistoryBuilder Completed(RecapOutcome outcome)
    {
        CompleteWorkflowTask();
        Add(EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = new()
        {
            Result = Payloads(outcome),
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        return this;
    }

    public RecapHistoryBuilder Failed(ApplicationFailureException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        CompleteWorkflowTask();
        Add(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = Converter.FailureConverter.ToFailure(failure, Converter.PayloadConverter),
            RetryState = RetryState.NonRetryableFailure,
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        return this;
    }

    /// <summary>
    /// The server scheduled a workflow task for the events since the last one, and the events
    /// recorded next arrive before a worker starts it: they land between its WorkflowTaskScheduled
    /// and WorkflowTaskStarted, and that one task handles them all.
    /// </summary>
    public RecapHistoryBuilder WorkflowTaskScheduled()
    {
        if (scheduledWorkflowTaskId is not null || !WorkflowTaskDue())
        {
            throw new InvalidOperationException("No event since the last workflow task asks for a new one, or one is scheduled already.");
        }

        scheduledWorkflowTaskId = ScheduleWorkflowTask();
        return this;
    }

    /// <summary>The workflow ended cancelled (it sent CancelWorkflowExecution, without details as the .NET SDK does).</summary>
    public RecapHistoryBuilder Canceled()
    {
        CompleteWorkflowTask();
        Add(EventType.WorkflowExecutionCanceled, e => e.WorkflowExecutionCanceledEventAttributes = new()
        {
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        return this;
    }

    /// <summary>The marker and search attribute of a <c>Workflow.Patched(patchId)</c> that returned true, first in its workflow task, as the SDK records them.</summary>
    public RecapHistoryBuilder Patched(string patchId)
    {
        CompleteWorkflowTask();
        Add(EventType.MarkerRecorded, e => e.MarkerRecordedEventAttributes = new()
        {
            MarkerName = "core_patch",
            Details = { ["patch-data"] = Payloads(new { id = patchId, deprecated = false }) },
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        // The SDK also lists the patch in the TemporalChangeVersion search attribute, in the same task.
        var changeVersion = Converter.PayloadConverter.ToPayload(new[] { patchId });
        changeVersion.Metadata["type"] = ByteString.CopyFromUtf8("KeywordList");
        Add(EventType.UpsertWorkflowSearchAttributes, e => e.UpsertWorkflowSearchAttributesEventAttributes = new()
        {
            SearchAttributes = new SearchAttributes { IndexedFields = { ["TemporalChangeVersion"] = changeVersion } },
            WorkflowTaskCompletedEventId = lastWorkflowTaskCompletedId,
        });
        return this;
    }

    public WorkflowHistory Build(string workflowId) => new(workflowId, [.. events]);

    private RunningActivity Running(string activityType) =>
        running.TryGetValue(activityType, out var activity)
            ? activity
            : throw new InvalidOperationException($"{activityType} is not running.");

    /// <summary>Ends a running activity's last attempt: the server records its ActivityTaskStarted now, right before the result.</summary>
    private (RunningActivity Activity, long StartedId) EndAttempt(string activityType, int attempt)
    {
        var activity = Running(activityType);
        running.Remove(activityType);
        AwaitWorkflowTask();
        var startedId = Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
        {
            ScheduledEventId = activity.ScheduledId,
            Attempt = attempt,
            Identity = Identity,
            RequestId = Guid.NewGuid().ToString(),
        });
        return (activity, startedId);
    }

    /// <summary>
    /// Records the workflow task that handled the events since the last one (and whose completion
    /// carries the next commands), unless nothing has arrived since: then the next command joins
    /// the commands of the task that just completed.
    /// </summary>
    private void CompleteWorkflowTask()
    {
        if (!WorkflowTaskDue())
        {
            return;
        }

        var scheduledId = scheduledWorkflowTaskId ?? ScheduleWorkflowTask();
        scheduledWorkflowTaskId = null;
        var startedId = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            Identity = Identity,
            RequestId = Guid.NewGuid().ToString(),
        });
        var first = lastWorkflowTaskCompletedId == 0;
        lastWorkflowTaskCompletedId = Add(EventType.WorkflowTaskCompleted, e => e.WorkflowTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            Identity = Identity,
            SdkMetadata = first ? FirstTaskMetadata() : new(),
        });
    }

    /// <summary>
    /// What a worker of this SDK version reports on a run's first workflow task; a later task
    /// reports only flags it used for the first time, so none here. The replayer takes the run's
    /// flags from this: core flag 1 turns on the activity id and type checks (without it a renamed
    /// activity replays as if nothing changed), and .NET flag 2 (ApplyModernEventLoopLogic) makes
    /// the workflow apply all of a task's jobs before running its code once, as a new run does;
    /// without it the replayer runs the code after each job, the way runs started before 1.6.0 did.
    /// </summary>
    private static WorkflowTaskCompletedMetadata FirstTaskMetadata() => new()
    {
        CoreUsedFlags = { 1, 2, 3 },
        LangUsedFlags = { 2 },
        SdkName = "temporal-dotnet",
        SdkVersion = typeof(WorkflowReplayer).Assembly.GetName().Version?.ToString() ?? "",
    };

    /// <summary>
    /// Before an event that wakes the workflow: an earlier one that woke it was handled by a
    /// workflow task that sent no command, unless that task is only scheduled (see <see cref="WorkflowTaskScheduled"/>).
    /// </summary>
    private void AwaitWorkflowTask()
    {
        if (scheduledWorkflowTaskId is null)
        {
            CompleteWorkflowTask();
        }
    }

    /// <summary>Whether an event other than the last workflow task's commands has arrived since that task.</summary>
    private bool WorkflowTaskDue() =>
        events.FindLastIndex(e => e.EventType == EventType.WorkflowTaskCompleted) is var last
        && (last < 0 || events.Skip(last + 1).Any(e => !IsCommandEvent(e.EventType)));

    private long ScheduleWorkflowTask() => Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new()
    {
        TaskQueue = new TaskQueue { Name = TemporalOptions.DefaultTaskQueue, Kind = TaskQueueKind.Normal },
        StartToCloseTimeout = WorkflowTaskTimeout,
        Attempt = 1,
    });

    private long Add(EventType type, Action<HistoryEvent> setAttributes)
    {
        var id = events.Count + 1L;
        var historyEvent = new HistoryEvent
        {
            EventId = id,
            EventType = type,
            EventTime = Timestamp.FromDateTimeOffset((startedAt + Duration.FromMilliseconds(100 * id)).ToDateTimeOffset()),
        };
        setAttributes(historyEvent);
        events.Add(historyEvent);
        return id;
    }

    /// <summary>Events a server records for a command in a completed workflow task (those the builder writes).</summary>
    private static bool IsCommandEvent(EventType type) => type
        is EventType.ActivityTaskScheduled
        or EventType.MarkerRecorded
        or EventType.UpsertWorkflowSearchAttributes
        or EventType.ActivityTaskCancelRequested
        or EventType.WorkflowExecutionCompleted
        or EventType.WorkflowExecutionFailed
        or EventType.WorkflowExecutionCanceled;

    private static Payloads Payloads(object? value) => new() { Payloads_ = { Converter.PayloadConverter.ToPayload(value) } };

    /// <param name="ScheduledId">Its ActivityTaskScheduled event.</param>
    /// <param name="CancelRequestedId">Its ActivityTaskCancelRequested event, once the workflow asked to cancel it.</param>
    private sealed record RunningActivity(long ScheduledId, long? CancelRequestedId = null);
}
