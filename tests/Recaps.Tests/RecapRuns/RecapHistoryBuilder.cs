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
using ProtoDuration = Google.Protobuf.WellKnownTypes.Duration;
using TaskQueue = Temporalio.Api.TaskQueue.V1.TaskQueue;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// Builds the history a Temporal server records for one <see cref="RecapWorkflow"/> run, as if
/// one worker ran it task by task: every command the workflow sends (schedule an activity,
/// complete, fail) is recorded after a completed workflow task, and every activity result
/// opens the next one.
/// </summary>
internal sealed class RecapHistoryBuilder
{
    private const string Identity = "replay-test@recaps";
    private static ProtoDuration WorkflowTaskTimeout => ProtoDuration.FromTimeSpan(TimeSpan.FromSeconds(10));
    private static readonly DataConverter Converter = RecapsDataConverter.Instance;

    private readonly List<HistoryEvent> events = [];
    private readonly Instant startedAt;
    private long lastWorkflowTaskCompletedId;
    private int activityCount;

    private RecapHistoryBuilder(Instant startedAt) => this.startedAt = startedAt;

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
    public RecapHistoryBuilder ActivityCompleted(string activityType, object input, object? result)
    {
        var (scheduledId, startedId) = ScheduleAndStartActivity(activityType, input, attempt: 1);
        Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
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
        var (scheduledId, startedId) = ScheduleAndStartActivity(activityType, input, attempts);
        Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            Failure = Converter.FailureConverter.ToFailure(failure, Converter.PayloadConverter),
            RetryState = failure.NonRetryable ? RetryState.NonRetryableFailure : RetryState.MaximumAttemptsReached,
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

    public WorkflowHistory Build(string workflowId) => new(workflowId, [.. events]);

    private (long ScheduledId, long StartedId) ScheduleAndStartActivity(string activityType, object input, int attempt)
    {
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
        var startedId = Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            Attempt = attempt,
            Identity = Identity,
            RequestId = Guid.NewGuid().ToString(),
        });
        return (scheduledId, startedId);
    }

    /// <summary>Records the workflow task whose completion carries the next command, unless one just completed.</summary>
    private void CompleteWorkflowTask()
    {
        if (events[^1].EventType == EventType.WorkflowTaskCompleted)
        {
            return;
        }

        var scheduledId = Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new()
        {
            TaskQueue = new TaskQueue { Name = TemporalOptions.DefaultTaskQueue, Kind = TaskQueueKind.Normal },
            StartToCloseTimeout = WorkflowTaskTimeout,
            Attempt = 1,
        });
        var startedId = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            Identity = Identity,
            RequestId = Guid.NewGuid().ToString(),
        });
        lastWorkflowTaskCompletedId = Add(EventType.WorkflowTaskCompleted, e => e.WorkflowTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduledId,
            StartedEventId = startedId,
            Identity = Identity,
            // Flag 1 turns on the core's activity id and type checks; without it a renamed
            // activity replays as if nothing changed. Workers of this SDK version set all three.
            SdkMetadata = new WorkflowTaskCompletedMetadata { CoreUsedFlags = { 1, 2, 3 } },
        });
    }

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

    private static Payloads Payloads(object? value) => new() { Payloads_ = { Converter.PayloadConverter.ToPayload(value) } };
}
