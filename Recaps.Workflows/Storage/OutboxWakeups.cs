using System.Threading.Channels;

namespace Recaps.Workflows.Storage;

/// <summary>
/// Writers of outbox rows raise this after their transaction commits; <see cref="Sync.OutboxNotifier"/>
/// turns any number of raises into one notification for the sync. The writing transaction does
/// not notify itself (a trigger or <c>pg_notify</c> inside it): PostgreSQL serialises the commits of
/// notifying transactions under one database-wide lock held through the WAL flush, which would
/// allow one create per disk sync.
/// </summary>
public sealed class OutboxWakeups
{
    private readonly Channel<bool> _raised = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Raise() => _raised.Writer.TryWrite(true);

    /// <summary>Waits for a raise; every raise before this returns is answered by it.</summary>
    public async Task NextAsync(CancellationToken cancellationToken)
    {
        await _raised.Reader.WaitToReadAsync(cancellationToken);
        _raised.Reader.TryRead(out _);
    }
}
