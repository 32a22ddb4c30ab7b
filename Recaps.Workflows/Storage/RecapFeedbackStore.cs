using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

public sealed record RecapFeedback(RecapRating Rating, string? Comment, Instant GivenAt);

/// <summary>Feedback on recaps, kept beside them (<c>recap_feedback</c>).</summary>
public sealed class RecapFeedbackStore(NpgsqlDataSource dataSource)
{
    /// <summary>Gives or replaces the feedback on a recap of <paramref name="userId"/>'s.</summary>
    /// <returns>What is stored now; null when the user has no such recap (nothing is stored).</returns>
    public async Task<RecapFeedback?> GiveAsync(Guid recapId, string userId, RecapFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO recap_feedback (recap_id, rating, comment, given_at)
            SELECT id, $3, $4, $5 FROM recaps WHERE id = $1 AND user_id = $2
            ON CONFLICT (recap_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, given_at = excluded.given_at
            RETURNING recap_id
            """);
        command.Parameters.Add(new() { Value = recapId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = feedback.Rating.ToText() });
        command.Parameters.Add(SqlCommands.Text(feedback.Comment));
        command.Parameters.Add(new() { Value = feedback.GivenAt });
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) is null ? null : feedback;
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // The recap was purged between the insert's read and its write: there is none now.
            return null;
        }
    }

    /// <summary>The feedback on those of <paramref name="recapIds"/> that have some.</summary>
    public async Task<IReadOnlyDictionary<Guid, RecapFeedback>> FindAsync(IReadOnlyCollection<Guid> recapIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recapIds);
        if (recapIds.Count == 0)
        {
            return new Dictionary<Guid, RecapFeedback>();
        }

        await using var command = dataSource.CreateCommand("SELECT recap_id, rating, comment, given_at FROM recap_feedback WHERE recap_id = ANY($1)");
        command.Parameters.Add(new() { Value = recapIds.ToArray() });
        var rows = await command.ReadAllAsync(
            reader => (Id: reader.Get<Guid>("recap_id"), Feedback: new RecapFeedback(
                RecapRatingText.Parse(reader.Get<string>("rating")), reader.GetNullable<string>("comment"), reader.Get<Instant>("given_at"))),
            cancellationToken);
        return rows.ToDictionary(row => row.Id, row => row.Feedback);
    }
}
