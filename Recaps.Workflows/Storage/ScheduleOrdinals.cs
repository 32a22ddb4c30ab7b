using Npgsql;

namespace Recaps.Workflows.Storage;

/// <summary>
/// Where each of a schedule row's columns (<see cref="ScheduleRepository.Columns"/>) is in one result,
/// looked up by name once per reader: by name, so a column added or moved cannot shift a reader; once,
/// because a list of rows would otherwise look up 40 names a row.
/// </summary>
internal sealed class ScheduleOrdinals(NpgsqlDataReader reader)
{
    public readonly int Id = reader.GetOrdinal("id"), UserId = reader.GetOrdinal("user_id"), Title = reader.GetOrdinal("title"),
        DaysOfWeek = reader.GetOrdinal("days_of_week"), TimeOfDay = reader.GetOrdinal("time_of_day"), TimeZone = reader.GetOrdinal("time_zone"),
        ChannelMode = reader.GetOrdinal("channel_mode"), ChannelIds = reader.GetOrdinal("channel_ids"), Recurring = reader.GetOrdinal("recurring"),
        Agent = reader.GetOrdinal("agent"), CustomInstructions = reader.GetOrdinal("custom_instructions"), Status = reader.GetOrdinal("status"),
        PausedBy = reader.GetOrdinal("paused_by"), PauseReason = reader.GetOrdinal("pause_reason"), AnchorAt = reader.GetOrdinal("anchor_at"),
        Version = reader.GetOrdinal("version"), CreatedAt = reader.GetOrdinal("created_at"), UpdatedAt = reader.GetOrdinal("updated_at"),
        DeletedAt = reader.GetOrdinal("deleted_at"), LastRunAt = reader.GetOrdinal("last_run_at"), RunCount = reader.GetOrdinal("run_count"),
        Watermark = reader.GetOrdinal("watermark"), SyncState = reader.GetOrdinal("sync_state"), SyncError = reader.GetOrdinal("sync_error"),
        SyncedAt = reader.GetOrdinal("synced_at"), OperatorPausedAt = reader.GetOrdinal("operator_paused_at"),
        OperatorPauseReason = reader.GetOrdinal("operator_pause_reason"), NextActionAt = reader.GetOrdinal("next_action_at"),
        LastActionAt = reader.GetOrdinal("last_action_at"), SpecUntil = reader.GetOrdinal("spec_until"), SpecTzdb = reader.GetOrdinal("spec_tzdb"),
        SpecInputs = reader.GetOrdinal("spec_inputs"), SpecHash = reader.GetOrdinal("spec_hash"), DriftAt = reader.GetOrdinal("drift_at"),
        DriftExpected = reader.GetOrdinal("drift_expected"), DriftListed = reader.GetOrdinal("drift_listed"), DriftSeenAt = reader.GetOrdinal("drift_seen_at"),
        SkipIfEmpty = reader.GetOrdinal("skip_if_empty"), SkipDates = reader.GetOrdinal("skip_dates"), DeliverTo = reader.GetOrdinal("deliver_to");
}
