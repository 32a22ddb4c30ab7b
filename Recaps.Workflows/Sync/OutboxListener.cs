using Npgsql;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Waits for the outbox trigger's notification on a connection of its own. The pooled data source
/// skips the session reset on close, so a LISTEN must never reach the pool: this connection is
/// unpooled, and opened again after the database restarts.
/// </summary>
public sealed class OutboxListener(string connectionString) : IAsyncDisposable
{
    public const string Channel = "schedule_outbox";

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    private NpgsqlConnection? _connection;

    /// <summary>Listens from now on; call before looking at the outbox, so nothing inserted after the look goes unnoticed.</summary>
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return;
        }

        await DropAsync();
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            _connection = connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns on a notification or after <paramref name="timeout"/>; a lost connection is reopened by the next <see cref="ListenAsync"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            await Task.Delay(timeout, cancellationToken);
            return;
        }

        try
        {
            await _connection.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or IOException or InvalidOperationException)
        {
            await DropAsync();
        }
    }

    public ValueTask DisposeAsync() => DropAsync();

    private async ValueTask DropAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
