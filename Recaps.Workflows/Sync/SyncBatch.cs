using Npgsql;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Changes claimed in one transaction, whose row locks keep other claims off them until it commits.
/// <see cref="Started"/> completes once every change holds a call slot: the next batch can then be
/// claimed, so the slots stay busy while this one's last calls finish.
/// </summary>
internal sealed class SyncBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingChange> changes) : IAsyncDisposable
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _waiting = changes.Count;

    public NpgsqlConnection Connection => connection;

    public NpgsqlTransaction Transaction => transaction;

    public IReadOnlyList<PendingChange> Changes => changes;

    public Task Started => _started.Task;

    /// <summary>Takes a call slot for one of the batch's changes.</summary>
    public async Task<IDisposable> TakeSlotAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        if (Interlocked.Decrement(ref _waiting) == 0)
        {
            _started.TrySetResult();
        }

        return new Slot(slots);
    }

    public async ValueTask DisposeAsync()
    {
        _started.TrySetResult();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
