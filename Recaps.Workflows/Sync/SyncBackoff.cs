using NodaTime;
using Temporalio.Exceptions;

namespace Recaps.Workflows.Sync;

/// <summary>When a failed change is tried again, and what its failure means for the schedule's sync state.</summary>
public static class SyncBackoff
{
    /// <summary>
    /// Base × 2^(attempts − 1), capped, plus up to 10 % jitter so instances recovering together do
    /// not retry in lockstep. <paramref name="attempts"/> counts the failure just recorded.
    /// </summary>
    public static Duration Delay(int attempts, SyncOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var delay = Math.Min(options.BackoffBase.TotalMilliseconds * Math.Pow(2, doublings), options.BackoffMax.TotalMilliseconds);
        return Duration.FromMilliseconds(delay * (1 + (0.1 * jitter)));
    }

    /// <summary>
    /// Temporal refused the change as invalid, or the Temporal schedule is not this deployment's:
    /// retrying the same request cannot succeed (until an operator acts), so the schedule shows
    /// 'error'. Anything else (Temporal unreachable, overloaded, timing out) keeps it
    /// 'pending': the change waits for Temporal, with the error visible.
    /// </summary>
    public static bool IsRejection(Exception error) =>
        error is ScheduleNotOwnedException or RpcException { Code: RpcException.StatusCode.InvalidArgument or RpcException.StatusCode.FailedPrecondition or RpcException.StatusCode.PermissionDenied };

    /// <summary>
    /// Temporal did not answer, or answered that it is overloaded: the next change would fare no
    /// better, so a sync pass stops claiming until its next wake-up.
    /// </summary>
    public static bool IsUnreachable(Exception error) =>
        error is RpcException { Code: RpcException.StatusCode.Unavailable or RpcException.StatusCode.DeadlineExceeded or RpcException.StatusCode.ResourceExhausted }
            or TimeoutException;
}
