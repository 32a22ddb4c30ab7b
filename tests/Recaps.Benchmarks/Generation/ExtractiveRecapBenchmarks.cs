using BenchmarkDotNet.Attributes;
using Recaps.Benchmarks.Workspace;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;

namespace Recaps.Benchmarks.Generation;

/// <summary>
/// The extractive generator on one channel at the per-channel cap (500 posts, the default
/// <c>MaxPostsPerChannel</c>). Target: mean ≤ 5 ms, ≤ 4 MB allocated per op.
/// </summary>
[MemoryDiagnoser]
public class ExtractiveRecapBenchmarks
{
    public const int Posts = 500;

    private readonly ExtractiveRecapGenerator _generator = new();
    private readonly ChatChannel _channel = new("dev", "Dev");
    private readonly RecapAudience _audience = new("user-007", "Standup digest", null);
    private ChatPost[] _posts = [];

    [GlobalSetup]
    public void WritePosts() => _posts = [.. new ChatCorpus(seed: 500).Channel(_channel.Id, Posts)];

    [Benchmark]
    public ValueTask<ChannelRecap> OneChannelOf500Posts() => _generator.GenerateAsync(_channel, _posts, _audience, CancellationToken.None);
}
