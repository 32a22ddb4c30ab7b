using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;

namespace Recaps.Tests.Generation;

/// <summary>The generator's fast word matching against the plain rule it replaces: one case-insensitive Contains per word.</summary>
public class ExtractiveWordMatchingTests
{
    private static readonly string[] DecisionWords = ExtractiveRecapGenerator.DecisionWords;
    private static readonly string[] RequestWords = ExtractiveRecapGenerator.RequestWords;

    // Letters whose case mapping is not plain ASCII (Kelvin sign, long s, dotted and dotless i, sharp s)
    // sit beside the ASCII ones, so the matching is compared where case-insensitivity is subtle.
    private const string Alphabet = "abcdefghilmnoprstuyw @?-.:'ſKİıßÅåKS\u212A\u017F\u0130\u0131";

    [Fact]
    public async Task GenerateAsync_RandomPosts_MatchesWordByWordContains()
    {
        var random = new Random(42);
        var generator = new ExtractiveRecapGenerator();
        string[] users = ["alice", "bob", "Kåre", "ıris", "sİmon"];
        for (var channel = 0; channel < 300; channel++)
        {
            var audience = new RecapAudience(users[random.Next(users.Length)], "digest", null);
            var posts = Enumerable.Range(0, random.Next(0, 40)).Select(i => new ChatPost(
                $"{i}", "dev", users[random.Next(users.Length)], Message(random, users), Instant.FromUnixTimeSeconds(i))).ToList();

            var recap = await generator.GenerateAsync(new ChatChannel("dev", "Dev"), posts, audience, CancellationToken.None);

            var (highlights, actionItems) = WordByWord(posts, audience);
            Assert.Equal(highlights, recap.Highlights.Select(h => h.PostIds.Single()));
            Assert.Equal(actionItems, recap.ActionItems.Select(a => a.PostIds.Single()));
        }
    }

    private static string Message(Random random, string[] users)
    {
        var text = new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        string[] words = [.. DecisionWords, .. RequestWords, "you", .. users.Select(u => "@" + u)];
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            var word = words[random.Next(words.Length)];
            word = random.Next(3) switch
            {
                0 => word.ToUpperInvariant(),
                1 => word.Replace('k', '\u212A').Replace('s', '\u017F').Replace('i', '\u0131'),
                _ => word,
            };
            text = text.Insert(random.Next(text.Length + 1), word);
        }

        return text;
    }

    /// <summary>The generator's rules written the plain way: one Contains per word.</summary>
    private static (IEnumerable<string> Highlights, IEnumerable<string> ActionItems) WordByWord(List<ChatPost> posts, RecapAudience audience)
    {
        static double Score(string message)
        {
            var score = Math.Log(1 + message.Length);
            foreach (var word in DecisionWords)
            {
                if (message.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    score += 2;
                }
            }

            return score;
        }

        var mention = "@" + audience.UserId;
        var highlights = posts
            .Select((post, index) => (post, index, score: Score(post.Message)))
            .OrderByDescending(p => p.score).ThenBy(p => p.index)
            .Take(ExtractiveRecapGenerator.MaxHighlights)
            .OrderBy(p => p.index)
            .Select(p => p.post.Id);
        var actionItems = posts
            .Where(p => p.Message.Contains(mention, StringComparison.OrdinalIgnoreCase)
                || p.Message.Contains('?', StringComparison.Ordinal) && p.Message.Contains("you", StringComparison.OrdinalIgnoreCase)
                || RequestWords.Any(w => p.Message.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Take(ExtractiveRecapGenerator.MaxActionItems)
            .Select(p => p.Id);
        return (highlights.ToList(), actionItems.ToList());
    }
}
