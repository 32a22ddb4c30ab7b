using System.Diagnostics;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;
using Temporalio.Activities;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Stands in for the extractive generator and never finishes: it waits until its worker begins to
/// shut down and then gives up, as a slow LLM call does when its process is stopped.
/// </summary>
internal sealed class StallingRecapGenerator : IRecapGenerator
{
    public string Agent => ExtractiveRecapGenerator.Name;

    /// <summary>Completes once generation has begun.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        // The worker's shutdown token, not the activity's: that one is cancelled only after the
        // graceful shutdown timeout, and an activity that ends on it fails and is retried elsewhere.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ActivityExecutionContext.Current.WorkerShutdownToken);
        await Task.Delay(Timeout.Infinite, stopping.Token);
        throw new UnreachableException();
    }
}
