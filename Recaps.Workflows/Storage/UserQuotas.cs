using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// Per-user quotas over the last hour: run-nows, and schedule creates and deletes. They are counted
/// from the rows those requests leave, not in memory, so they hold across API instances and
/// restarts: a run-now is its <c>schedule_runs</c> row (occurrence key <c>run-…</c>), a create its
/// schedule's <c>created_at</c>, a delete its <c>deleted_at</c>. Deletes are soft, so a deleted
/// schedule's create, delete and run-nows still count; the retention purge removes deleted schedules
/// after about 30 days and runs after 180 (the defaults), far outside the hour. Every request a quota counts
/// takes the user's advisory lock first (before any row lock, so they cannot deadlock) and checks
/// and writes under it: concurrent requests cannot both take the last place.
/// </summary>
internal static class UserQuotas
{
    public static readonly Duration Window = Duration.FromHours(1);

    /// <summary>The predicate of a run-now's run; migration 0007 indexes the rows it matches, so it is written out the same.</summary>
    public static readonly string IsRunNow = $"occurrence_key LIKE '{OccurrenceKeys.RunNowPrefix}%'";

    /// <summary>Takes the lock of the user <paramref name="user"/> (SQL) names until the transaction ends.</summary>
    public static string Lock(string user) => $"SELECT pg_advisory_xact_lock(hashtextextended({user}, 0))";

    /// <summary>
    /// SQL for when the user's <paramref name="limit"/>-th newest run-now since <paramref name="since"/>
    /// was requested: while it is in the window the quota is full. No row while there is room.
    /// </summary>
    public static string RunNowsFull(string user, string since, string limit) => $"""
        SELECT r.created_at FROM schedule_runs r JOIN ({RecentSchedules(user, since)}) s ON s.id = r.schedule_id
        WHERE r.{IsRunNow} AND r.created_at > {since}
        ORDER BY r.created_at DESC OFFSET {limit} - 1 LIMIT 1
        """;

    /// <summary><see cref="RunNowsFull"/> for the user's schedule creates and deletes.</summary>
    public static string ChangesFull(string user, string since, string limit) => $"""
        SELECT e.at FROM ({RecentSchedules(user, since)}) s CROSS JOIN LATERAL (VALUES (s.created_at), (s.deleted_at)) e (at)
        WHERE e.at > {since}
        ORDER BY e.at DESC OFFSET {limit} - 1 LIMIT 1
        """;

    /// <summary>How long until the event at <paramref name="full"/> (from a query above) leaves the window.</summary>
    public static Duration RetryAfter(Instant full, Instant now) => full + Window - now;

    /// <summary>
    /// The user's schedules that can hold an event of the window: live ones, and those deleted in it
    /// (a run-now needs a live schedule). Bounded by the schedule limit and the quota, whatever the
    /// user deleted before.
    /// </summary>
    private static string RecentSchedules(string user, string since) => $"""
        SELECT id, created_at, deleted_at FROM schedules WHERE user_id = {user} AND deleted_at IS NULL
        UNION ALL
        SELECT id, created_at, deleted_at FROM schedules WHERE user_id = {user} AND deleted_at > {since}
        """;
}
