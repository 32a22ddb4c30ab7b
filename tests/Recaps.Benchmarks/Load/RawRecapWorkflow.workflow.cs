using Temporalio.Workflows;

namespace Recaps.Benchmarks.Load;

/// <summary>The raw baseline's run: three activities that do nothing, one after another, as a recap's three steps.</summary>
[Workflow]
internal sealed class RawRecapWorkflow
{
    private static readonly ActivityOptions Activity = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
    public async Task RunAsync()
    {
        await Workflow.ExecuteActivityAsync(() => RawActivities.ResolveChannels(), Activity);
        await Workflow.ExecuteActivityAsync(() => RawActivities.GenerateRecap(), Activity);
        await Workflow.ExecuteActivityAsync(() => RawActivities.MarkExecuted(), Activity);
    }
}
