using System.Text.RegularExpressions;

namespace Recaps.Tests.Hosting;

/// <summary>
/// The compose files as written (no Docker here to run them): nothing published beyond loopback, the
/// unauthenticated Temporal frontend and Web UI only by opt-in, and no secret with a default.
/// </summary>
public partial class ComposeFileTests
{
    private static readonly string Stack = Read("docker-compose.temporal.yml");
    private static readonly string Operator = Read("operator.yml");

    [Fact]
    public void EveryPublishedPort_IsOnLoopbackUnlessTheApisAddressIsChosen()
    {
        var published = PublishedPorts(Stack).Concat(PublishedPorts(Operator)).ToList();

        Assert.Equal(6, published.Count);
        Assert.All(published, port => Assert.Matches(@"^(127\.0\.0\.1|\$\{RECAPS_PUBLISH_ADDRESS:-127\.0\.0\.1\}):\d+:\d+$", port));
    }

    [Fact]
    public void TemporalFrontendAndWebUi_ArePublishedOnlyByTheOperatorFile()
    {
        Assert.DoesNotContain(PublishedPorts(Stack), port => port.EndsWith(":7233", StringComparison.Ordinal) || port.EndsWith(":8080:8080", StringComparison.Ordinal));
        Assert.Equal(["127.0.0.1:7233:7233", "127.0.0.1:8080:8080"], PublishedPorts(Operator));
    }

    [Theory]
    [InlineData("RECAPS_SIGNING_KEY")]
    [InlineData("RECAPS_DB_PASSWORD")]
    [InlineData("RECAPS_DB_OWNER_PASSWORD")]
    public void Secret_IsRequiredFromTheEnvironment_NeverDefaulted(string name)
    {
        var uses = Regex.Matches(Stack, $@"\$\{{{name}(?<rule>[^}}]*)\}}").Select(m => m.Groups["rule"].Value).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, rule => Assert.StartsWith(":?", rule, StringComparison.Ordinal));
    }

    [Fact]
    public void ApiAndWorker_ConnectAsTheAppRole_OnlyTheMigrateJobAsTheOwner()
    {
        Assert.Equal(
            ["recaps-migrate: *recaps-migrations", "recaps-api: *recaps-connection", "recaps-worker: *recaps-connection"],
            ConnectionStrings().Select(c => $"{c.Service}: {c.Value}"));
        Assert.Contains("x-recaps-connection: &recaps-connection \"Host=recaps-db;Username=recaps_app;", Stack, StringComparison.Ordinal);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "compose", file));

    /// <summary>The entries of every <c>ports:</c> list, without quotes and comments.</summary>
    private static List<string> PublishedPorts(string compose) =>
        [.. PortLists().Matches(compose).SelectMany(list => list.Groups["entry"].Captures).Select(entry => entry.Value)];

    private static IEnumerable<(string Service, string Value)> ConnectionStrings()
    {
        string? service = null;
        foreach (var line in Stack.Split('\n'))
        {
            if (ServiceLine().Match(line) is { Success: true } start)
            {
                service = start.Groups["name"].Value;
            }
            else if (line.Trim().StartsWith("ConnectionStrings__Recaps:", StringComparison.Ordinal))
            {
                yield return (service!, line.Split(':', 2)[1].Trim());
            }
        }
    }

    [GeneratedRegex("""ports:\n(?:\s+-\s+"(?<entry>[^"]+)"[^\n]*\n)+""")]
    private static partial Regex PortLists();

    [GeneratedRegex("^  (?<name>[a-z-]+):$")]
    private static partial Regex ServiceLine();
}
