using Microsoft.Extensions.Logging;

namespace Recaps.Workflows.RecapRuns;

/// <summary>Log lines of recap runs; each carries the schedule id and the workflow id.</summary>
internal static partial class RecapLog
{
    private static readonly Func<ILogger, Guid, string, IDisposable?> RunScopeFormat =
        LoggerMessage.DefineScope<Guid, string>("Schedule {ScheduleId}, workflow {WorkflowId}");

    public static IDisposable? RunScope(this ILogger logger, Guid scheduleId, string workflowId) => RunScopeFormat(logger, scheduleId, workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {WorkflowId} of schedule {ScheduleId}: {Reason}")]
    public static partial void Skipped(this ILogger logger, string workflowId, Guid scheduleId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recap {WorkflowId} (run {TemporalRunId}) of schedule {ScheduleId} failed: {Error} {Detail}")]
    public static partial void Failed(this ILogger logger, string workflowId, string? temporalRunId, Guid scheduleId, string error, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} failed in a recap of run {RunId}")]
    public static partial void ChannelFailed(this ILogger logger, Exception error, string channelId, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Agent} could not write the recap of run {RunId} ({Reason}); it is the extractive one instead")]
    public static partial void AgentFellBack(this ILogger logger, Exception error, string agent, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Regeneration {WorkflowId} (run {TemporalRunId}, request {RegenerationId}) failed: {Error} {Detail}")]
    public static partial void RegenerationFailed(this ILogger logger, string? workflowId, string? temporalRunId, Guid regenerationId, string error, string? detail);
}
