using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;

namespace Recaps.Tests.Generation;

public class ExtractiveRecapGeneratorTests
{
    private static readonly ChatChannel Dev = new("dev", "Dev");
    private static readonly RecapAudience Alice = new("alice", "Standup digest", null);
    private static readonly Instant Noon = Instant.FromUtc(2026, 5, 4, 12, 0);

    [Fact]
    public async Task Generate_CountsEveryPostAndKeepsChannelIdentity()
    {
        var posts = Posts("hi", "hello", "morning");

        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, posts, Alice, CancellationToken.None);

        Assert.Equal(("dev", "Dev", 3, (string?)null), (recap.ChannelId, recap.ChannelName, recap.MessageCount, recap.Error));
    }

    [Fact]
    public async Task Highlights_AreTheTopScoredPostsInTimeOrderWithTheirIds()
    {
        var posts = Posts(
            "ok",
            "We decided to ship the release on Thursday after the review",
            "lol",
            "Incident resolved: the outage was caused by an expired certificate",
            "k",
            "sure",
            "fine",
            "The team agreed the milestone is done and merged the branch");

        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, posts, Alice, CancellationToken.None);

        Assert.Equal(ExtractiveRecapGenerator.MaxHighlights, recap.Highlights.Count);
        Assert.Equal(["p2", "p4", "p8"], recap.Highlights.Where(h => h.Text.Length > 20).SelectMany(h => h.PostIds));
        var order = recap.Highlights.Select(h => int.Parse(h.PostIds[0][1..], null)).ToList();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task ActionItems_AreRequestsDeadlinesAndMentionsOfTheOwner()
    {
        var posts = Posts(
            "@alice can you review the PR?",
            "nice weather today",
            "Please update the runbook by Friday",
            "the deadline for the report is next week",
            "lunch was great");

        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, posts, Alice, CancellationToken.None);

        Assert.Equal(["p1", "p3", "p4"], recap.ActionItems.SelectMany(a => a.PostIds));
        Assert.StartsWith("bob: @alice can you review", recap.ActionItems[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_SamePosts_SameRecap()
    {
        var posts = Posts(Enumerable.Range(1, 50).Select(i => $"message {i} with {new string('x', i % 7)} please").ToArray());
        var generator = new ExtractiveRecapGenerator();

        var first = await generator.GenerateAsync(Dev, posts, Alice, CancellationToken.None);
        var second = await generator.GenerateAsync(Dev, posts, Alice, CancellationToken.None);

        Assert.Equal(first.Highlights.Select(h => (h.Text, string.Join(",", h.PostIds))), second.Highlights.Select(h => (h.Text, string.Join(",", h.PostIds))));
        Assert.Equal(first.ActionItems.Select(h => h.Text), second.ActionItems.Select(h => h.Text));
        Assert.Equal(ExtractiveRecapGenerator.MaxActionItems, first.ActionItems.Count);
    }

    [Fact]
    public async Task LongPost_IsShortenedInItsItem()
    {
        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, Posts(new string('a', 1000)), Alice, CancellationToken.None);

        var text = Assert.Single(recap.Highlights).Text;
        Assert.Equal("bob: ".Length + ExtractiveRecapGenerator.MaxItemLength, text.Length);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongPost_CutInsideAnEmoji_KeepsTheTextValid()
    {
        var message = new string('a', ExtractiveRecapGenerator.MaxItemLength - 2) + "😀😀😀";

        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, Posts(message), Alice, CancellationToken.None);

        var text = Assert.Single(recap.Highlights).Text;
        Assert.EndsWith("a…", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task NoPosts_EmptyRecap()
    {
        var recap = await new ExtractiveRecapGenerator().GenerateAsync(Dev, [], Alice, CancellationToken.None);

        Assert.Equal((0, 0, 0), (recap.MessageCount, recap.Highlights.Count, recap.ActionItems.Count));
    }

    private static List<ChatPost> Posts(params string[] messages) =>
        [.. messages.Select((m, i) => new ChatPost($"p{i + 1}", "dev", "bob", m, Noon + Duration.FromMinutes(i)))];
}
