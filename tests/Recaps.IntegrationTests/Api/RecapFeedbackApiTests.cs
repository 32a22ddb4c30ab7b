using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

public class RecapFeedbackApiTests(PostgresFixture postgres)
{
    /// <summary>A recap of alice's #dev schedule, generated through the activities.</summary>
    private static async Task<string> RecapAsync(ApiHost api, HttpClient alice)
    {
        await api.ChannelAsync("dev", "alice");
        await api.PostAsync("dev", "alice", "We decided to ship on Friday.");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev")));
        return generated!.RecapId.ToString();
    }

    [Fact]
    public async Task Feedback_Given_IsShownOnTheRecapAndInTheList_AndGivingItAgainReplacesIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var id = await RecapAsync(api, alice);
        var before = await alice.GetJsonAsync($"/v1/recaps/{id}");

        var first = await (await alice.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "down", comment = "Missed the\nrelease note." })).JsonAsync();
        api.Clock.Advance(NodaTime.Duration.FromMinutes(5));
        var second = await alice.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "up" });
        var shown = await alice.GetJsonAsync($"/v1/recaps/{id}");
        var listed = (await alice.GetJsonAsync("/v1/recaps")).GetProperty("items")[0];

        Assert.Equal(JsonValueKind.Null, before.GetProperty("feedback").ValueKind);
        Assert.Equal(("down", "Missed the\nrelease note."), (first.Text("rating"), first.Text("comment")));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var feedback = shown.GetProperty("feedback");
        Assert.Equal("up", feedback.Text("rating"));
        Assert.Equal(JsonValueKind.Null, feedback.GetProperty("comment").ValueKind);
        Assert.Equal(api.Clock.GetCurrentInstant().ToDateTimeUtc(), feedback.GetProperty("givenAt").GetDateTime().ToUniversalTime());
        Assert.Equal(feedback.GetRawText(), listed.GetProperty("feedback").GetRawText());
        Assert.Equal(1, await api.CountAsync("recap_feedback"));
    }

    [Fact]
    public async Task Feedback_OnAnotherUsersRecapOrNone_Is404AndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var id = await RecapAsync(api, alice);

        await (await bob.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "up" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAtAsync($"/v1/recaps/{Guid.NewGuid()}/feedback", new { rating = "up" })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await api.CountAsync("recap_feedback"));
    }

    [Theory]
    [InlineData("""{ "comment": "no rating" }""", "rating")]
    [InlineData("""{ "rating": "meh" }""", "rating")]
    [InlineData("""{ "rating": "UP" }""", "rating")]
    [InlineData("""{ "rating": "up", "comment": "bell \u0007" }""", "comment")]
    [InlineData("""{ "rating": "up", "comment": "\u202Eevil" }""", "comment")]
    public async Task Feedback_Invalid_Is400NamingTheFieldAndStoresNothing(string body, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var id = await RecapAsync(api, alice);

        var errors = await (await alice.SendRawAsync(HttpMethod.Post, $"/v1/recaps/{id}/feedback", body)).ValidationProblemAsync(field);

        Assert.Contains(field, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync("recap_feedback"));
    }

    [Fact]
    public async Task Feedback_CommentOfMaxLengthInCodePoints_IsAccepted_OneMoreIsNot()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var id = await RecapAsync(api, alice);
        var longest = string.Concat(Enumerable.Repeat("😀", 2000));

        var accepted = await alice.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "up", comment = longest });
        var refused = await alice.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "up", comment = longest + "x" });

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await refused.ValidationProblemAsync("comment");
    }

    [Fact]
    public async Task RecapPurged_TakesItsFeedbackWithIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var id = await RecapAsync(api, alice);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/recaps/{id}/feedback", new { rating = "up" })).StatusCode);

        await using var purge = api.Database.CreateCommand($"DELETE FROM recaps WHERE id = '{id}'");
        await purge.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await api.CountAsync("recap_feedback"));
    }
}
