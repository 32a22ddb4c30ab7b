using NodaTime;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>What was written to Temporal and what the server's reading of it showed, per schedule.</summary>
internal static class SpecStore
{
    /// <summary>The specs the sync wrote, each with its horizon, tzdb and fingerprint.</summary>
    public static NpgsqlBatchCommand Written(IReadOnlyList<(Guid Id, WrittenSpec Spec)> written) =>
        SqlCommands.BatchSql("""
            UPDATE schedules s SET spec_until = w.until, spec_tzdb = w.tzdb, spec_inputs = w.inputs, spec_hash = w.hash
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[]) AS w(id, until, tzdb, inputs, hash)
            WHERE s.id = w.id
            """,
            written.Select(w => w.Id).ToArray(),
            written.Select(w => w.Spec.Until).ToArray(),
            written.Select(w => w.Spec.Tzdb).ToArray(),
            written.Select(w => w.Spec.Inputs).ToArray(),
            written.Select(w => w.Spec.Hash).ToArray());

    /// <summary>Specs a new tzdb or setting leaves as they were: only what they stand for changes.</summary>
    public static async Task RestampAsync(NpgsqlConnection connection, IReadOnlyList<Guid> scheduleIds, string tzdb, string inputs, CancellationToken cancellationToken)
    {
        await using var update = connection.Sql("UPDATE schedules SET spec_tzdb = $2, spec_inputs = $3 WHERE id = ANY($1)", scheduleIds.ToArray(), tzdb, inputs);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the drift checks of a pass: a drift found (kept from when it was first seen while it stays the same), or none.</summary>
    public static async Task CheckedAsync(NpgsqlConnection connection, IReadOnlyList<(Guid Id, SpecDrift? Drift)> checks, Instant now, CancellationToken cancellationToken)
    {
        await using var update = connection.Sql("""
            UPDATE schedules s SET drift_checked_at = $6,
                drift_seen_at = CASE WHEN c.at IS NULL THEN NULL
                                     WHEN s.drift_at = c.at THEN s.drift_seen_at ELSE c.seen_at END,
                drift_at = c.at, drift_expected = c.expected, drift_listed = c.listed
            FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) AS c(id, at, expected, listed, seen_at)
            WHERE s.id = c.id
            """,
            checks.Select(c => c.Id).ToArray(),
            checks.Select(c => c.Drift?.At).ToArray(),
            checks.Select(c => c.Drift?.Expected).ToArray(),
            checks.Select(c => c.Drift?.Listed).ToArray(),
            checks.Select(c => c.Drift?.SeenAt).ToArray(),
            now);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
