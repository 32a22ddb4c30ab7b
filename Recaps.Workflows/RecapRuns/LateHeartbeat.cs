using System.Diagnostics;
using Temporalio.Activities;

namespace Recaps.Workflows.RecapRuns;

/// <summary>
/// A generating activity's heartbeat, sent only once the activity has run for <see cref="After"/>.
/// The SDK sends a first heartbeat at once, and the server writes it, which a recap written in
/// milliseconds does not need: the heartbeat timeout counts from the activity's start all the same,
/// so a worker that dies is still noticed within it, and a slow generation (an agent's) heartbeats
/// as before once it is past <see cref="After"/>.
/// </summary>
public sealed class LateHeartbeat(Action<object?> send, Func<TimeSpan> elapsed)
{
    /// <summary>Well inside the generation's heartbeat timeout (30 s).</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(5);

    public static LateHeartbeat For(ActivityExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var running = Stopwatch.StartNew();
        return new(details => context.Heartbeat(details), () => running.Elapsed);
    }

    public void Beat(object? details = null)
    {
        if (elapsed() >= After)
        {
            send(details);
        }
    }
}
