using System.Text.Json;
using System.Text.Json.Nodes;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.RecapRuns;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Histories of <c>RecapWorkflow</c> runs the real server recorded. Every end-to-end run checks that
/// the current workflow code replays them; when <see cref="FolderVariable"/> names a folder, they are
/// also written there as <c>recap-workflow.{case}.json</c> for the fast tier (RecordedHistoryReplayTests)
/// to replay without a server. Re-record the committed ones, from the repository root:
/// <code>
/// RECAPS_TEMPORAL_CLI=/path/to/temporal RECAPS_RECORD_HISTORIES=$PWD/tests/Recaps.Testing/RecapRuns/Histories \
///   dotnet test tests/Recaps.EndToEndTests --filter "FullyQualifiedName~HistoryRecordingTests|FullyQualifiedName~RunsEndToEndTests|FullyQualifiedName~OccurrencesEndToEndTests"
/// </code>
/// </summary>
internal static class RecordedHistories
{
    private const string FolderVariable = "RECAPS_RECORD_HISTORIES";

    // Indented, so a re-recording shows in review as a readable diff.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Waits for <paramref name="workflowId"/> to complete, checks that its history replays to the same outcome, and records it.</summary>
    public static async Task<RecapOutcome> CompletedAsync(ITemporalClient temporal, string workflowId, string recordedCase)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        var outcome = await temporal.GetWorkflowHandle(workflowId).GetResultAsync<RecapOutcome>();
        var replayed = await ReplayAndRecordAsync(temporal, workflowId, recordedCase);
        Assert.Equal(outcome, replayed.Result);
        return outcome;
    }

    /// <summary>Waits for <paramref name="workflowId"/> to fail, checks that its history replays to the same failure, and records it.</summary>
    public static async Task<ApplicationFailureException> FailedAsync(ITemporalClient temporal, string workflowId, string recordedCase)
    {
        ArgumentNullException.ThrowIfNull(temporal);
        var failed = await Assert.ThrowsAsync<WorkflowFailedException>(() => temporal.GetWorkflowHandle(workflowId).GetResultAsync<RecapOutcome>());
        var failure = Assert.IsType<ApplicationFailureException>(failed.InnerException);
        var replayed = Assert.IsType<ApplicationFailureException>((await ReplayAndRecordAsync(temporal, workflowId, recordedCase)).Failure);
        Assert.Equal((failure.ErrorType, failure.Message, failure.NonRetryable), (replayed.ErrorType, replayed.Message, replayed.NonRetryable));
        return failure;
    }

    /// <summary>Replays the closed workflow's history with the current workflow code (a failure to replay fails the test) and records it.</summary>
    private static async Task<ReplayRecorder> ReplayAndRecordAsync(ITemporalClient temporal, string workflowId, string recordedCase)
    {
        var history = await temporal.GetWorkflowHandle(workflowId).FetchHistoryAsync();
        var replayed = await ReplayRecorder.ReplayAsync(history);
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder)
        {
            await File.WriteAllTextAsync(
                Path.Combine(folder, HistoryFiles.FileName(recordedCase)),
                JsonNode.Parse(history.ToJson())!.ToJsonString(Indented) + "\n",
                ApiCalls.Cancel);
        }

        return replayed;
    }
}
