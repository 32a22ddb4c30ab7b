using BenchmarkDotNet.Running;
using Recaps.Benchmarks;
using Recaps.Benchmarks.Api;
using Recaps.Benchmarks.Domain;
using Recaps.Benchmarks.Generation;
using Recaps.Benchmarks.Load;

// `pipeline`, `agent-pipeline` (the same with an LLM agent), `rss`, `sync`, `sync-temporal` (against real Temporal dev servers), `system` (the whole of Recaps with N schedules due in one minute, beside a raw Temporal application) and `api` are load runs against a throwaway
// PostgreSQL (`rss-worker` is the process `rss` measures); `spec-size` prints the size of compiled specs; `agent-map-reduce` one large channel through an LLM agent; anything else is BenchmarkDotNet's command
// line, e.g. --filter '*Recurrence*'.
return args.FirstOrDefault() switch
{
    PipelineLoad.Mode => await PipelineLoad.RunAsync(LoadOptions.Parse(args[1..], PipelineLoad.Defaults)),
    AgentPipelineLoad.Mode => await AgentPipelineLoad.RunAsync(LoadOptions.Parse(args[1..], AgentPipelineLoad.Defaults)),
    SyncLoad.Mode => await SyncLoad.RunAsync(LoadOptions.Parse(args[1..], SyncLoad.Defaults)),
    SystemLoad.Mode => await SystemLoad.RunAsync(LoadOptions.Parse(args[1..], SystemLoad.Defaults)),
    SyncTemporalLoad.Mode => await SyncTemporalLoad.RunAsync(LoadOptions.Parse(args[1..], SyncTemporalLoad.Defaults)),
    WorkerMemoryLoad.Mode => await WorkerMemoryLoad.RunAsync(LoadOptions.Parse(args[1..], WorkerMemoryLoad.Defaults)),
    WorkerMemoryLoad.WorkerMode => await WorkerMemoryLoad.RunWorkerAsync(LoadOptions.Parse(args[1..], WorkerMemoryLoad.Defaults)),
    ApiLoad.Mode => await ApiLoad.RunAsync(ApiLoadOptions.Parse(args[1..])),
    SpecSizeReport.Mode => SpecSizeReport.Run(),
    AgentMapReduceReport.Mode => await AgentMapReduceReport.RunAsync(),
    _ => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create()).Any(s => s.HasCriticalValidationErrors) ? 1 : 0,
};
