namespace Recaps.Tests.Api;

/// <summary>Every rule of a create body: a 400 naming the field, and nothing stored.</summary>
public class ScheduleValidationApiTests(PostgresFixture postgres)
{
    private static readonly string[] TwentyOne = [.. Enumerable.Range(1, 21).Select(i => $"c{i}")];

    private static readonly string[] FiftyOneDates = [.. Enumerable.Range(1, 51).Select(i => new DateOnly(2026, 6, 1).AddDays(i).ToString("yyyy-MM-dd", null))];

    /// <summary>A body breaking one rule, and the field the 400 must name.</summary>
    private static readonly Dictionary<string, (Dictionary<string, object?> Body, string Field)> Invalid = new()
    {
        ["title empty"] = (Specific().With("title", ""), "title"),
        ["title whitespace"] = (Specific().With("title", "   "), "title"),
        ["title 256 characters"] = (Specific().With("title", new string('t', 256)), "title"),
        ["title 256 emoji"] = (Specific().With("title", string.Concat(Enumerable.Repeat("😀", 256))), "title"),
        ["title missing"] = (Specific().Without("title"), "title"),
        ["daysOfWeek empty"] = (Specific().With("daysOfWeek", ScheduleBodies.List()), "daysOfWeek"),
        ["daysOfWeek missing"] = (Specific().Without("daysOfWeek"), "daysOfWeek"),
        ["daysOfWeek unknown day"] = (Specific().With("daysOfWeek", ScheduleBodies.List("monday", "someday")), "daysOfWeek"),
        ["daysOfWeek abbreviated"] = (Specific().With("daysOfWeek", ScheduleBodies.List("mon")), "daysOfWeek"),
        ["daysOfWeek duplicate"] = (Specific().With("daysOfWeek", ScheduleBodies.List("monday", "monday")), "daysOfWeek"),
        ["daysOfWeek duplicate in another case"] = (Specific().With("daysOfWeek", ScheduleBodies.List("monday", "MONDAY")), "daysOfWeek"),
        ["daysOfWeek a string, not a list"] = (Specific().With("daysOfWeek", "monday"), "daysOfWeek"),
        ["timeOfDay without leading zero"] = (Specific().With("timeOfDay", "9:00"), "timeOfDay"),
        ["timeOfDay 24:00"] = (Specific().With("timeOfDay", "24:00"), "timeOfDay"),
        ["timeOfDay with seconds"] = (Specific().With("timeOfDay", "09:00:00"), "timeOfDay"),
        ["timeOfDay minute 60"] = (Specific().With("timeOfDay", "09:60"), "timeOfDay"),
        ["timeOfDay missing"] = (Specific().Without("timeOfDay"), "timeOfDay"),
        ["timeZone abbreviation"] = (Specific().With("timeZone", "PST"), "timeZone"),
        ["timeZone unknown"] = (Specific().With("timeZone", "Mars/Base"), "timeZone"),
        ["timeZone missing"] = (Specific().Without("timeZone"), "timeZone"),
        ["channelMode unknown"] = (Specific().With("channelMode", "everything"), "channelMode"),
        ["channelMode missing"] = (Specific().Without("channelMode"), "channelMode"),
        ["specific without ids"] = (Specific().With("channelIds", ScheduleBodies.List()), "channelIds"),
        ["specific with 21 ids"] = (Specific().With("channelIds", TwentyOne), "channelIds"),
        ["specific with duplicate ids"] = (Specific().With("channelIds", ScheduleBodies.List("dev", "dev")), "channelIds"),
        ["specific with a channel the user cannot read"] = (Specific().With("channelIds", ScheduleBodies.List("dev", "secret")), "channelIds"),
        ["specific with a channel that does not exist"] = (Specific().With("channelIds", ScheduleBodies.List("nowhere")), "channelIds"),
        ["specific with an empty id"] = (Specific().With("channelIds", ScheduleBodies.List("dev", " ")), "channelIds"),
        ["allUnreads with ids"] = (Specific().With("channelMode", "allUnreads"), "channelIds"),
        ["agent unknown"] = (Specific().With("agent", "gpt-9"), "agent"),
        ["customInstructions 501 characters"] = (Specific().With("customInstructions", new string('c', 501)), "customInstructions"),
        ["recurring a string"] = (Specific().With("recurring", "yes"), "recurring"),
        ["title a number"] = (Specific().With("title", 42), "title"),
        ["unknown property"] = (Specific().With("colour", "blue"), "colour"),
        ["title with a NUL character"] = (Specific().With("title", "Standup\u0000digest"), "title"),
        ["customInstructions with a NUL character"] = (Specific().With("customInstructions", "be\u0000brief"), "customInstructions"),
        ["title with a bell"] = (Specific().With("title", "Standup\u0007digest"), "title"),
        ["title with a right-to-left override"] = (Specific().With("title", "Standup \u202Etsegid"), "title"),
        ["title with a terminal colour escape"] = (Specific().With("title", "\u001b[31mStandup"), "title"),
        ["title with a line break"] = (Specific().With("title", "Standup\ndigest"), "title"),
        ["title with a bidi isolate"] = (Specific().With("title", "Standup \u2066digest\u2069"), "title"),
        ["customInstructions with a terminal escape"] = (Specific().With("customInstructions", "be \u001b[2Jbrief"), "customInstructions"),
        ["customInstructions with a right-to-left override"] = (Specific().With("customInstructions", "be \u202Ebrief"), "customInstructions"),
        ["skipDates not a date"] = (Specific().With("skipDates", ScheduleBodies.List("2026-12-24", "2026-02-30")), "skipDates[1]"),
        ["skipDates not yyyy-MM-dd"] = (Specific().With("skipDates", ScheduleBodies.List("24/12/2026")), "skipDates[0]"),
        ["skipDates duplicate"] = (Specific().With("skipDates", ScheduleBodies.List("2026-12-24", "2026-12-31", "2026-12-24")), "skipDates[2]"),
        ["skipDates 51 dates"] = (Specific().With("skipDates", FiftyOneDates), "skipDates"),
        ["skipDates on a one-time schedule"] = (Specific().With("recurring", false).With("skipDates", ScheduleBodies.List("2026-12-24")), "skipDates"),
        ["skipDates a string, not a list"] = (Specific().With("skipDates", "2026-12-24"), "skipDates"),
        ["skipIfEmpty a string"] = (Specific().With("skipIfEmpty", "yes"), "skipIfEmpty"),
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    private static Dictionary<string, object?> Specific() => ScheduleBodies.Weekdays("dev", "support");

    /// <summary>The channels the bodies name: alice reads dev and support, only bob reads secret.</summary>
    private static async Task<ApiHost> StartAsync(PostgresFixture postgres)
    {
        var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        await api.ChannelAsync("support", "alice", "bob");
        await api.ChannelAsync("secret", "bob");
        return api;
    }

    private static async Task AssertNothingStoredAsync(ApiHost api)
    {
        Assert.Equal(0, await api.CountAsync("schedules"));
        Assert.Equal(0, await api.CountAsync("schedule_outbox"));
        Assert.Equal(0, await api.CountAsync("idempotency_keys"));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task Create_BreakingARule_Is400NamingTheFieldAndStoresNothing(string rule)
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.CreateWithKeyAsync(Invalid[rule].Body, "k1");

        var errors = await response.ValidationProblemAsync(Invalid[rule].Field);
        Assert.All(errors.EnumerateObject(), e => Assert.NotEmpty(e.Value.EnumerateArray().Select(m => m.GetString())));
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task Create_InstructionsOnSeveralLinesAndRightToLeftMarks_AreStoredAsWritten()
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");
        const string instructions = "Decisions first.\n\t- then open questions\r\nשלום \u200Fend";

        var created = await alice.CreateScheduleAsync(Specific().With("title", "Standup \u200Fדיון").With("customInstructions", instructions));

        Assert.Equal(instructions, created.Text("customInstructions"));
        Assert.Equal("Standup \u200Fדיון", created.Text("title"));
    }

    [Fact]
    public async Task Create_SeveralRulesBroken_NamesEveryField()
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAtAsync("/v1/schedules", Specific()
            .With("title", " ").With("timeOfDay", "9:00").With("timeZone", "PST").With("agent", "gpt-9"));

        await response.ValidationProblemAsync("title", "timeOfDay", "timeZone", "agent");
        await AssertNothingStoredAsync(api);
    }

    [Theory]
    [InlineData("{\"title\": \"x\",", "body")]
    [InlineData("not json", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("{\"title\": \"a\", \"title\": \"b\", \"daysOfWeek\": [\"monday\"], \"timeOfDay\": \"09:00\", \"timeZone\": \"UTC\", \"channelMode\": \"allUnreads\"}", "title")]
    public async Task Create_MalformedJson_Is400AndStoresNothing(string body, string field)
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.SendRawAsync(HttpMethod.Post, "/v1/schedules", body);

        await response.ValidationProblemAsync(field);
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task Create_OnTheLimits_IsAccepted()
    {
        await using var api = await StartAsync(postgres);
        var twenty = TwentyOne[..20];
        foreach (var channel in twenty)
        {
            await api.ChannelAsync(channel, "alice");
        }

        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(Specific()
            .With("title", new string('t', 255))
            .With("customInstructions", new string('c', 500))
            .With("timeZone", "US/Eastern")
            .With("timeOfDay", "23:59")
            .With("channelIds", twenty));

        Assert.Equal("US/Eastern", created.Text("timeZone"));
        Assert.Equal(20, created.GetProperty("channelIds").GetArrayLength());
        Assert.Equal(255, created.Text("title").Length);
    }

    /// <summary>Limits count characters (code points) as the OpenAPI document's maxLength does, not UTF-16 units.</summary>
    [Fact]
    public async Task Create_EmojiUpToTheLimits_IsAccepted()
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");
        var title = string.Concat(Enumerable.Repeat("😀", 255));
        var instructions = string.Concat(Enumerable.Repeat("𝄞", 500));

        var created = await alice.CreateScheduleAsync(Specific().With("title", title).With("customInstructions", instructions));

        Assert.Equal(title, created.Text("title"));
        Assert.Equal(instructions, created.Text("customInstructions"));
    }

    [Theory]
    [InlineData("00:00")]
    [InlineData("23:59")]
    [InlineData("09:05")]
    public async Task Create_TimeOfDay_AcceptsEveryMinuteOfTheDay(string time)
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(Specific().With("timeOfDay", time));

        Assert.Equal(time, created.Text("timeOfDay"));
    }

    [Fact]
    public async Task Create_IdempotencyKeyTooLong_Is400()
    {
        await using var api = await StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.CreateWithKeyAsync(Specific(), new string('k', 256));

        await response.ValidationProblemAsync("Idempotency-Key");
        await AssertNothingStoredAsync(api);
    }
}
