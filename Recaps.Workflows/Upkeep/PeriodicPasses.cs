namespace Recaps.Workflows.Upkeep;

/// <summary>The loop of a background service that does one pass of its work now and then once per interval.</summary>
internal static class PeriodicPasses
{
    /// <summary>
    /// Runs <paramref name="pass"/> at once and then every <paramref name="interval"/> until the host
    /// stops. A failed pass is handed to <paramref name="failed"/> and the next one tries again.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> pass, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                failed(error);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
