using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A create request: the intent, the user's limit and, when the client sent one, its idempotency key
/// and a hash of the request; and the user's hourly quota of creates and deletes.
/// </summary>
public sealed record NewSchedule(
    string UserId, ScheduleIntent Intent, int MaxSchedulesPerUser, string? IdempotencyKey = null, string? RequestHash = null, int ChangesPerHour = int.MaxValue);

public enum ScheduleCreationOutcome
{
    Created,

    /// <summary>The key was used before with the same request: the schedule it created.</summary>
    Replayed,

    /// <summary>The user has <see cref="NewSchedule.MaxSchedulesPerUser"/> live schedules.</summary>
    LimitReached,

    /// <summary>The key was used before with a different request.</summary>
    KeyReused,

    /// <summary>The key created a schedule that has since been deleted.</summary>
    KeyOfDeletedSchedule,

    /// <summary>The user has made <see cref="NewSchedule.ChangesPerHour"/> creates and deletes in the last hour.</summary>
    QuotaReached,
}

/// <summary>What a create did; <paramref name="RetryAfter"/> when the quota refused it: how long until it would not.</summary>
public sealed record ScheduleCreation(ScheduleCreationOutcome Outcome, StoredSchedule? Schedule, Duration? RetryAfter = null);
