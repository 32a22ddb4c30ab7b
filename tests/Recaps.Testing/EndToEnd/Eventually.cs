using System.Diagnostics;

namespace Recaps.Tests.EndToEnd;

/// <summary>Waits for state that a worker and a Temporal server reach in their own time.</summary>
internal static class Eventually
{
    /// <summary>Long enough for a sync pass, a schedule action and a workflow with retries on a loaded machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Reads until <paramref name="done"/> holds and returns that reading; fails naming <paramref name="what"/>
    /// and the last reading after <paramref name="deadline"/> (default <see cref="Deadline"/>).
    /// </summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T>> read, Func<T, bool> done, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var last = await read();
            if (done(last))
            {
                return last;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {last}");
            }

            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }
    }
}
