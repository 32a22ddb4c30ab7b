using System.Runtime.InteropServices;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// Turns Ctrl-C and SIGTERM into a cancellation instead of an exit, so a load run unwinds through
/// its disposals: the throwaway cluster is stopped and its folder deleted.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;

    private Interruption()
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal}: stopping and cleaning up …");
            _cancel.Cancel();
        }))];
    }

    private CancellationToken Token => _cancel.Token;

    /// <summary>Runs a load over a throwaway cluster that <paramref name="run"/> disposes of; interrupted, it exits 130.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var interruption = new Interruption();
        try
        {
            return await run(interruption.Token);
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted; everything the run started was removed.");
            return 130;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}
