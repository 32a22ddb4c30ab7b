using Recaps.Workflows.Delivery;
using Recaps.Workflows.Generation;

namespace Recaps.Tests.Delivery;

public class RecapMessageTests
{
    [Fact]
    public void Text_NamesTheRecapItsWindowAndEveryChannelsItems()
    {
        var failed = new ChannelRecap("c-ops", "ops", 3, [], [], "generation_failed");

        var text = RecapMessage.Text(DeliveryRecaps.Standup(DeliveryRecaps.Dev, failed));

        Assert.Equal(
            "*Recap: Morning standup*\n2026-12-01 14:00Z to 2026-12-02 14:00Z\n\n"
            + "*#dev* (12 messages)\nHighlights:\n• We decided to ship the release on Friday.\nAction items:\n• Bob: please review the migration by tomorrow.\n\n"
            + "*#ops* (3 messages)\nCould not be summarised this time.\n",
            text);
    }

    [Fact]
    public void ChatText_PostsCannotMentionOrLinkAnyoneInTheReceivingChannel()
    {
        var loud = new ChannelRecap("c-dev", "dev", 1, [new RecapItem("<!channel> @here @All see <https://evil.example|docs> & more", ["p1"])], [], null);

        var text = RecapMessage.ChatText(DeliveryRecaps.Standup(loud));

        Assert.Contains("• &lt;!channel&gt; @\u200Bhere @\u200BAll see &lt;https://evil.example|docs&gt; &amp; more\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('<', text);
        Assert.Contains("• <!channel> @here @All", RecapMessage.Text(DeliveryRecaps.Standup(loud)), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_LongerThanAChatMessageMayBe_IsShortenedSayingSo()
    {
        var many = new ChannelRecap("c-dev", "dev", 900, [.. Enumerable.Range(0, 900).Select(i => new RecapItem(new string('x', 60) + i, [$"p{i}"]))], [], null);

        var text = RecapMessage.Text(DeliveryRecaps.Standup(many));

        Assert.Equal(RecapMessage.MaxLength, text.IndexOf("\n… (shortened; the whole recap is in Recaps)", StringComparison.Ordinal));
        Assert.EndsWith("(shortened; the whole recap is in Recaps)", text, StringComparison.Ordinal);
    }
}
