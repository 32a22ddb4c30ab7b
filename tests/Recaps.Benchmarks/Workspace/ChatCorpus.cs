using System.Globalization;
using NodaTime;
using Recaps.Workflows.Chat;

namespace Recaps.Benchmarks.Workspace;

/// <summary>
/// Messages shaped like a busy team channel: mostly chatter, some decisions and incidents, some
/// requests, questions and @mentions, from a few words to a long paragraph (so the generator's
/// scoring, matching and truncation all do real work). Seeded, so every run reads the same posts.
/// </summary>
public sealed class ChatCorpus(int seed)
{
    private static readonly string[] Topics =
    [
        "the billing migration", "the release train", "the staging cluster", "the onboarding flow", "the search index",
        "the Q3 roadmap", "the flaky login test", "the on-call rotation", "the API rate limits", "the mobile build",
        "the data retention policy", "the customer export", "the Postgres upgrade", "the dashboard redesign",
    ];

    private static readonly string[] Chatter =
    [
        "morning! picking up {0} today",
        "looked at {0}, numbers look fine to me",
        "{0} is taking longer than expected, the test suite alone is {1} minutes now",
        "thanks, that makes sense",
        "lunch in {1}?",
        "I pushed a draft for {0}; it still needs docs and a couple of tests before it is ready for review",
        "FYI the dashboard for {0} shows p99 latency around {1} ms since the last deploy, which is within budget but worth watching over the next few days while traffic ramps up for the campaign, so I added an alert at twice the current value and a panel that splits it by region",
        "nice work on {0} 🎉",
        "heads-up: I will be out tomorrow afternoon, {2} covers {0}",
        "notes from the sync on {0} are in the usual doc",
    ];

    private static readonly string[] Decisions =
    [
        "we decided to move {0} to next sprint",
        "{0} shipped to production, thanks everyone",
        "incident: {0} had an outage for {1} minutes, resolved now, postmortem to follow",
        "agreed: {0} stays behind the feature flag until the milestone review",
        "merged the fix for {0}",
        "important: {0} is blocked on the vendor contract, escalated to {2}",
    ];

    private static readonly string[] Requests =
    [
        "@{2} can you review {0} by EOD?",
        "please update the runbook for {0}",
        "todo: follow up with security about {0}",
        "{2} needs to sign off on {0} by Friday",
        "action item: @{2} to write the migration plan for {0}, deadline next week",
    ];

    private static readonly string[] Questions =
    [
        "did you see the alert for {0}?",
        "anyone know who owns {0}?",
        "@{2} do you have a minute to talk about {0}?",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A message that may mention one of <paramref name="people"/>.</summary>
    public string NextMessage(IReadOnlyList<string> people)
    {
        ArgumentNullException.ThrowIfNull(people);
        var roll = _random.Next(100);
        var templates = roll switch
        {
            < 62 => Chatter,
            < 77 => Decisions,
            < 90 => Requests,
            _ => Questions,
        };
        var template = templates[_random.Next(templates.Length)];
        return string.Format(
            CultureInfo.InvariantCulture, template, Topics[_random.Next(Topics.Length)], _random.Next(2, 500), people[_random.Next(people.Count)]);
    }

    /// <summary><paramref name="count"/> posts of one channel among 30 people, 97 s apart from 2026-06-01 09:00 UTC, ids "1", "2", ….</summary>
    public List<ChatPost> Channel(string channelId, int count)
    {
        string[] people = [.. Enumerable.Range(1, 30).Select(i => $"user-{i:D3}")];
        var start = Instant.FromUtc(2026, 6, 1, 9, 0);
        return [.. Enumerable.Range(1, count).Select(i => new ChatPost(
            i.ToString(CultureInfo.InvariantCulture), channelId, Pick(people), NextMessage(people), start + Duration.FromSeconds(97 * i)))];
    }

    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[_random.Next(items.Count)];
    }
}
