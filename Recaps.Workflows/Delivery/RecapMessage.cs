using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime.Text;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Delivery;

/// <summary>A stored recap as the text a chat webhook or an email carries (Slack and Mattermost both read this markdown).</summary>
public static partial class RecapMessage
{
    /// <summary>Below Slack's 40,000-character limit on a message's text, with room for the notice.</summary>
    public const int MaxLength = 35_000;

    private static readonly InstantPattern Minutes = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm'Z'");

    public static string Subject(StoredRecap recap)
    {
        ArgumentNullException.ThrowIfNull(recap);
        return $"Recap: {recap.Title}";
    }

    public static string Text(StoredRecap recap)
    {
        ArgumentNullException.ThrowIfNull(recap);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"*{Subject(recap)}*\n")
            .Append(CultureInfo.InvariantCulture, $"{Minutes.Format(recap.WindowStart)} to {Minutes.Format(recap.WindowEnd)}\n");
        if (recap.Channels.Count == 0)
        {
            text.Append("\nNo channels to recap.\n");
        }

        foreach (var channel in recap.Channels)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n*#{channel.ChannelName}* ({channel.MessageCount} {(channel.MessageCount == 1 ? "message" : "messages")})\n");
            if (channel.Error is not null)
            {
                text.Append("Could not be summarised this time.\n");
                continue;
            }

            Items(text, "Highlights", channel.Highlights);
            Items(text, "Action items", channel.ActionItems);
        }

        // Said rather than cut silently: the whole recap stays in the app.
        return text.Length <= MaxLength ? text.ToString() : string.Concat(text.ToString(0, MaxLength), "\n… (shortened; the whole recap is in Recaps)");
    }

    /// <summary>
    /// <see cref="Text"/> for a chat platform: what posts said must not mention or link anyone in the
    /// receiving channel, so Slack's control characters are escaped and @channel, @here and @all broken.
    /// </summary>
    public static string ChatText(StoredRecap recap) =>
        Mentions().Replace(Text(recap).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal), "@\u200B$1");

    [GeneratedRegex("@(channel|here|all|everyone)\\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Mentions();

    private static void Items(StringBuilder text, string heading, IReadOnlyList<RecapItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{heading}:\n");
        foreach (var item in items)
        {
            text.Append(CultureInfo.InvariantCulture, $"• {item.Text}\n");
        }
    }
}
