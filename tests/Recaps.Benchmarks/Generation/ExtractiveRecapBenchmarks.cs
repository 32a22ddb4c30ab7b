using BenchmarkDotNet.Attributes;
using NodaTime;
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
    public void WritePosts()
    {
        var corpus = new ChatCorpus(seed: 500);
        string[] people = [.. Enumerable.Range(1, 30).Select(i => $"user-{i:D3}")];
        var start = Instant.FromUtc(2026, 6, 1, 9, 0);
        _posts = [.. Enumerable.Range(1, Posts).Select(i => new ChatPost(
            i.ToString(System.Globalization.CultureInfo.InvariantCulture), _channel.Id, corpus.Pick(people),
            corpus.NextMessage(people), start + Duration.FromSeconds(97 * i)))];
    }

    [Benchmark]
    public ValueTask<ChannelRecap> OneChannelOf500Posts() => _generator.GenerateAsync(_channel, _posts, _audience, CancellationToken.None);
}
