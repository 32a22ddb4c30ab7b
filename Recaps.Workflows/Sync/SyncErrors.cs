using Temporalio.Exceptions;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The <c>sync.error</c> a user sees: a stable code, then a message safe to show anyone. What the
/// exception said (a server's text, a connection string, a stack) goes to the worker's log with the
/// outbox row and the schedule, never to the API.
/// </summary>
public static class SyncErrors
{
    public const string NotOwned = "not_owned";

    public const string Rejected = "temporal_rejected";

    public const string Unavailable = "temporal_unavailable";

    public const string Failed = "sync_failed";

    public static string Describe(Exception error) => error switch
    {
        ScheduleNotOwnedException =>
            $"{NotOwned}: the Temporal schedule belongs to another deployment, or predates owner marks; an operator adopts it with `Recaps.Worker {ScheduleAdoption.Command}`.",
        _ when SyncBackoff.IsRejection(error) => $"{Rejected}: Temporal refused the change; an operator finds why in the worker's log.",
        RpcException { Code: RpcException.StatusCode.Unavailable or RpcException.StatusCode.DeadlineExceeded or RpcException.StatusCode.ResourceExhausted } =>
            $"{Unavailable}: Temporal could not be reached; the change is tried again.",
        _ => $"{Failed}: the change could not be applied yet; it is tried again, and the worker's log says why.",
    };
}
