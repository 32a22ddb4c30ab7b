using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The few Temporal calls the sync and the reconciler make, each one idempotent in what it reports:
/// a create of an existing schedule, an update or pause of a missing one, a delete of a missing one
/// and a second start of a run-now are answers, not errors. Anything else Temporal says is thrown.
/// </summary>
public interface ITemporalScheduleGateway
{
    /// <returns>False when a schedule with this id already exists (nothing is changed).</returns>
    Task<bool> CreateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken);

    /// <summary>Null when Temporal has no such schedule.</summary>
    Task<TemporalScheduleState?> DescribeAsync(string scheduleId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces spec, action, policy and state, except that an operator's pause (a note without the
    /// Recaps prefix) stays as it is: the operator lifts it, not the sync.
    /// </summary>
    /// <returns>False when there is no such schedule.</returns>
    Task<bool> UpdateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken);

    /// <summary>A missing schedule is already deleted.</summary>
    Task DeleteAsync(string scheduleId, CancellationToken cancellationToken);

    /// <returns>False when there is no such schedule.</returns>
    Task<bool> PauseAsync(string scheduleId, string note, CancellationToken cancellationToken);

    /// <returns>False when there is no such schedule.</returns>
    Task<bool> UnpauseAsync(string scheduleId, string note, CancellationToken cancellationToken);

    /// <summary>Has Temporal run the schedule's action for <paramref name="nominal"/>, a time that passed before the schedule existed.</summary>
    Task BackfillAsync(string scheduleId, Instant nominal, CancellationToken cancellationToken);

    /// <summary>Starts a run-now's workflow; one already started under the same id is left alone.</summary>
    Task StartRunNowAsync(RunNowStart start, CancellationToken cancellationToken);

    /// <summary>Every Temporal schedule whose id has the Recaps prefix.</summary>
    IAsyncEnumerable<TemporalScheduleState> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A run-now request as the sync starts it: the run's id and the instant it was requested (its window's end).</summary>
public sealed record RunNowStart(Guid ScheduleId, Guid RunId, Instant RequestedAt);
