using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Activities;
using Temporalio.Converters;
using Temporalio.Extensions.Hosting;
using Temporalio.Testing;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// Runs one occurrence through ResolveChannels → GenerateRecap → MarkExecuted the way the worker
/// does: activity definitions built by Temporal's hosting extension (a DI scope and a fresh
/// <see cref="RecapActivities"/> per call, as <c>AddScopedActivities</c> registers them), inputs
/// and results passed through the payload converter, each call inside an activity context.
/// </summary>
internal sealed class ActivityPipeline
{
    private readonly ActivityDefinition _resolveChannels;
    private readonly ActivityDefinition _generateRecap;
    private readonly ActivityDefinition _markExecuted;
    private readonly IPayloadConverter _payloads = RecapsDataConverter.Instance.PayloadConverter;

    public ActivityPipeline(IServiceProvider services)
    {
        var activities = services.CreateTemporalActivityDefinitions<RecapActivities>().ToDictionary(a => a.Name!, StringComparer.Ordinal);
        _resolveChannels = activities["ResolveChannels"];
        _generateRecap = activities["GenerateRecap"];
        _markExecuted = activities["MarkExecuted"];
    }

    /// <returns>The recap's message count, or null when the occurrence was skipped.</returns>
    public async Task<int?> RunAsync(ResolveChannelsInput input)
    {
        var occurrence = await InvokeAsync<ResolvedOccurrence>(_resolveChannels, input);
        if (occurrence.Skipped)
        {
            return null;
        }

        var recap = await InvokeAsync<GeneratedRecap>(_generateRecap, new GenerateRecapInput(occurrence.RunId));
        await InvokeAsync<MarkExecutedResult>(_markExecuted, new MarkExecutedInput(occurrence.RunId));
        return recap.MessageCount;
    }

    private async Task<T> InvokeAsync<T>(ActivityDefinition activity, object input)
    {
        var decoded = _payloads.ToValue(_payloads.ToPayload(input), input.GetType());
        var result = await new ActivityEnvironment().RunAsync(() => activity.InvokeAsync([decoded]));
        return (T)_payloads.ToValue(_payloads.ToPayload(result), typeof(T))!;
    }
}
