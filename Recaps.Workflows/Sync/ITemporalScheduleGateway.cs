using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The few Temporal calls the sync and the reconciler make, each one idempotent in what it reports:
/// a create of an existing schedule, an update or pause of a missing one, a delete of a missing one
/// and a second start of a run-now are answers, not errors. Anything else Temporal says is thrown.
/// Schedules carry an owner mark (<see cref="ScheduleOwner"/>): the calls that replace or delete one
/// take the owner they expect and throw <see cref="ScheduleNotOwnedException"/> on any other.
/// </summary>
public interface ITemporalScheduleGateway
{
    /// <summary>Creates the schedule with <paramref name="owner"/>'s mark in its memo (Temporal cannot change a memo later).</summary>
    /// <returns>False when a schedule with this id already exists (nothing is changed).</returns>
    Task<bool> CreateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken);

    /// <summary>Null when Temporal has no such schedule.</summary>
    Task<TemporalScheduleState?> DescribeAsync(string scheduleId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces spec, action, policy and state, except that an operator's pause (a note without the
    /// Recaps prefix) stays as it is: the operator lifts it, not the sync.
    /// </summary>
    /// <returns>False when there is no such schedule.</returns>
    /// <exception cref="ScheduleNotOwnedException">The schedule does not carry <paramref name="owner"/>'s mark.</exception>
    Task<bool> UpdateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the schedule if it carries <paramref name="owner"/>'s mark (null: no mark, as adoption
    /// expects); a missing schedule is already deleted.
    /// </summary>
    /// <exception cref="ScheduleNotOwnedException">The schedule carries another mark.</exception>
    Task DeleteAsync(string scheduleId, string? owner, CancellationToken cancellationToken);

    /// <returns>False when there is no such schedule.</returns>
    Task<bool> PauseAsync(string scheduleId, string note, CancellationToken cancellationToken);

    /// <returns>False when there is no such schedule.</returns>
    Task<bool> UnpauseAsync(string scheduleId, string note, CancellationToken cancellationToken);

    /// <summary>Has Temporal run the schedule's action for <paramref name="nominal"/>, a time that passed before the schedule existed.</summary>
    Task BackfillAsync(string scheduleId, Instant nominal, CancellationToken cancellationToken);

    /// <summary>Starts a run-now's workflow; one already started under the same id is left alone.</summary>
    Task StartRunNowAsync(RunNowStart start, CancellationToken cancellationToken);

    /// <summary>Starts a regeneration's workflow; one already started under the same id is left alone.</summary>
    Task StartRegenerationAsync(Guid regenerationId, CancellationToken cancellationToken);

    /// <summary>
    /// The times the server says the schedule's spec matches in <paramref name="range"/>
    /// (jitter included, pause ignored): what it will fire, by its own reading of the spec. Null when
    /// there is no such schedule.
    /// </summary>
    Task<IReadOnlyList<Instant>?> MatchingTimesAsync(string scheduleId, Interval range, CancellationToken cancellationToken);

    /// <summary>Every Temporal schedule whose id has the Recaps prefix, whoever owns it.</summary>
    IAsyncEnumerable<TemporalScheduleState> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A run-now request as the sync starts it: the run's id and the instant it was requested (its window's end).</summary>
public sealed record RunNowStart(Guid ScheduleId, Guid RunId, Instant RequestedAt);
