namespace Recaps.Workflows.Sync;

/// <summary>
/// A Temporal schedule with a Recaps id that this deployment does not own: another deployment's
/// (another mark), or one made before owner marks existed (no mark), which only an explicit
/// adoption makes this deployment's. The sync never changes either.
/// </summary>
public sealed class ScheduleNotOwnedException(string scheduleId, string? owner) : Exception(owner is null
    ? $"Temporal schedule {scheduleId} has no owner mark (it predates them); adopt it with `Recaps.Worker {ScheduleAdoption.Command}`."
    : $"Temporal schedule {scheduleId} belongs to another deployment (owner mark {owner}); this one leaves it alone (after a change of Recaps:Sync:Owner: `Recaps.Worker {ScheduleAdoption.Command} --from {owner}`).");
