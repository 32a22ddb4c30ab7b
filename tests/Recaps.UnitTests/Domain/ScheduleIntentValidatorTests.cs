using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class ScheduleIntentValidatorTests
{
    private const int MaxChannels = 3;

    private static readonly ValidationContext Context = new(
        new HashSet<string>(StringComparer.Ordinal) { "dev", "support", "random", "ops" },
        new HashSet<string>(StringComparer.Ordinal) { "extractive", "llm" },
        MaxChannels,
        TimeZoneData.BuiltIn,
        Instant.FromUtc(2026, 3, 1, 12, 0));

    private static readonly ScheduleIntentInput Valid = new(
        Title: "Standup digest",
        DaysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        TimeOfDay: "09:00",
        TimeZone: "America/New_York",
        ChannelMode: "specific",
        ChannelIds: ["dev", "support"],
        Recurring: null,
        Agent: null,
        CustomInstructions: null);

    [Fact]
    public void Validate_ValidBody_ReturnsIntentAsChosen()
    {
        var result = ScheduleIntentValidator.Validate(Valid, Context);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        var intent = Assert.IsType<ScheduleIntent>(result.Intent);
        Assert.Equal("Standup digest", intent.Title);
        Assert.Equal(
            [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
            intent.DaysOfWeek.Days);
        Assert.Equal(new LocalTime(9, 0), intent.TimeOfDay);
        Assert.Equal("America/New_York", intent.TimeZoneId);
        Assert.Equal(ChannelMode.Specific, intent.ChannelMode);
        Assert.Equal(["dev", "support"], intent.ChannelIds);
        Assert.Null(intent.CustomInstructions);
    }

    [Fact]
    public void Validate_ChannelIds_KeepsTheChosenOrder()
    {
        var intent = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["support", "dev"] }, Context).Intent;

        Assert.Equal(["support", "dev"], intent!.ChannelIds);
    }

    [Fact]
    public void Validate_RecurringMissing_DefaultsToTrue()
    {
        var intent = ValidIntent(Valid with { Recurring = null });

        Assert.True(intent.Recurring);
    }

    [Fact]
    public void Validate_RecurringFalse_KeepsOneTime()
    {
        var intent = ValidIntent(Valid with { Recurring = false });

        Assert.False(intent.Recurring);
    }

    // ---- title ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n ")]
    public void Validate_TitleMissingOrBlank_RejectsTitle(string? title)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { Title = title }, Context);

        AssertOnlyError(result, "title");
        Assert.Contains("255", Assert.Single(result.Errors["title"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Title256Characters_RejectsTitle()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { Title = new string('x', 256) }, Context);

        AssertOnlyError(result, "title");
    }

    [Fact]
    public void Validate_Title255Characters_Accepts()
    {
        var title = new string('x', 255);

        Assert.Equal(title, ValidIntent(Valid with { Title = title }).Title);
    }

    [Fact]
    public void Validate_Title255CharactersWithSurroundingSpaces_CountsAfterTrim()
    {
        var title = new string('x', 255);

        Assert.Equal(title, ValidIntent(Valid with { Title = $"  {title}  " }).Title);
    }

    [Fact]
    public void Validate_TitleWithSurroundingWhitespace_StoresTrimmedTitle()
    {
        Assert.Equal("Standup  digest", ValidIntent(Valid with { Title = " \tStandup  digest \n" }).Title);
    }

    [Fact]
    public void Validate_OneCharacterTitle_Accepts()
    {
        Assert.Equal("x", ValidIntent(Valid with { Title = " x " }).Title);
    }

    // ---- daysOfWeek ----

    [Fact]
    public void Validate_DaysOfWeekMissing_RejectsDaysOfWeek()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { DaysOfWeek = null }, Context);

        AssertOnlyError(result, "daysOfWeek");
        Assert.Contains("at least one", Assert.Single(result.Errors["daysOfWeek"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DaysOfWeekEmpty_RejectsDaysOfWeek()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { DaysOfWeek = [] }, Context);

        AssertOnlyError(result, "daysOfWeek");
    }

    [Fact]
    public void Validate_DayNamesInAnyCase_AcceptsThem()
    {
        var intent = ValidIntent(Valid with { DaysOfWeek = ["MONDAY", "Wednesday", "sUnDaY"] });

        Assert.Equal([IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Sunday], intent.DaysOfWeek.Days);
    }

    [Fact]
    public void Validate_AllSevenDays_AcceptsThem()
    {
        var intent = ValidIntent(Valid with
        {
            DaysOfWeek = ["sunday", "saturday", "friday", "thursday", "wednesday", "tuesday", "monday"],
        });

        Assert.Equal(7, intent.DaysOfWeek.Days.Count());
    }

    [Theory]
    [InlineData("funday")]
    [InlineData("mon")]
    [InlineData("lundi")]
    [InlineData("none")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(" monday")]
    public void Validate_UnknownDayName_RejectsDaysOfWeekNamingTheValue(string name)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { DaysOfWeek = ["monday", name] }, Context);

        AssertOnlyError(result, "daysOfWeek");
        var message = Assert.Single(result.Errors["daysOfWeek"]);
        Assert.Contains($"'{name}'", message, StringComparison.Ordinal);
        Assert.Contains("English day name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullDayName_RejectsDaysOfWeek()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { DaysOfWeek = ["monday", null] }, Context);

        AssertOnlyError(result, "daysOfWeek");
    }

    [Theory]
    [InlineData("monday", "monday")]
    [InlineData("monday", "MONDAY")]
    [InlineData("Friday", "friday")]
    public void Validate_DuplicateDay_RejectsDaysOfWeekAsNotDistinct(string first, string second)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { DaysOfWeek = [first, "tuesday", second] }, Context);

        AssertOnlyError(result, "daysOfWeek");
        Assert.Contains("distinct", Assert.Single(result.Errors["daysOfWeek"]), StringComparison.Ordinal);
    }

    // ---- timeOfDay ----

    [Theory]
    [InlineData("00:00", 0, 0)]
    [InlineData("23:59", 23, 59)]
    [InlineData("09:00", 9, 0)]
    [InlineData("12:07", 12, 7)]
    public void Validate_TimeOfDayHourMinute_ParsesIt(string value, int hour, int minute)
    {
        Assert.Equal(new LocalTime(hour, minute), ValidIntent(Valid with { TimeOfDay = value }).TimeOfDay);
    }

    [Theory]
    [InlineData("9:00")]
    [InlineData("09:00:00")]
    [InlineData("24:00")]
    [InlineData("23:60")]
    [InlineData("99:99")]
    [InlineData("ab:cd")]
    [InlineData("09.00")]
    [InlineData("0900")]
    [InlineData("09:0")]
    [InlineData(" 09:00")]
    [InlineData("09:00 ")]
    [InlineData("09:00\n")]
    [InlineData("9:00 AM")]
    [InlineData("-1:00")]
    [InlineData("\uff10\uff19:\uff10\uff10")] // full-width digits "０９:００"
    [InlineData("")]
    [InlineData(null)]
    public void Validate_TimeOfDayNotExactlyHourMinute_RejectsTimeOfDay(string? value)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { TimeOfDay = value }, Context);

        AssertOnlyError(result, "timeOfDay");
        var message = Assert.Single(result.Errors["timeOfDay"]);
        Assert.Contains("HH:mm", message, StringComparison.Ordinal);
        Assert.Contains("23:59", message, StringComparison.Ordinal);
    }

    // ---- timeZone ----

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("US/Eastern")]
    [InlineData("Europe/Dublin")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Etc/UTC")]
    public void Validate_TzdbZoneId_StoresTheIdAsChosen(string zoneId)
    {
        var intent = ValidIntent(Valid with { TimeZone = zoneId });

        Assert.Equal(zoneId, intent.TimeZoneId);
        Assert.Equal(zoneId, intent.TimeZoneId);
    }

    [Theory]
    [InlineData("PST")]
    [InlineData("Mars/Base")]
    [InlineData("Eastern Standard Time")]
    [InlineData("+05:30")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_NotATzdbZoneId_RejectsTimeZone(string? zoneId)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { TimeZone = zoneId }, Context);

        AssertOnlyError(result, "timeZone");
        Assert.Contains("IANA", Assert.Single(result.Errors["timeZone"]), StringComparison.Ordinal);
    }

    // ---- channelMode and channelIds ----

    [Theory]
    [InlineData("Specific")]
    [InlineData("SPECIFIC")]
    [InlineData("allunreads")]
    [InlineData("all")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_UnknownChannelMode_RejectsChannelMode(string? mode)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelMode = mode }, Context);

        AssertOnlyError(result, "channelMode");
        var message = Assert.Single(result.Errors["channelMode"]);
        Assert.Contains("'specific'", message, StringComparison.Ordinal);
        Assert.Contains("'allUnreads'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllUnreadsWithoutIds_AcceptsWithNoChannels()
    {
        var intent = ValidIntent(Valid with { ChannelMode = "allUnreads", ChannelIds = null });

        Assert.Equal(ChannelMode.AllUnreads, intent.ChannelMode);
        Assert.Empty(intent.ChannelIds);
    }

    [Fact]
    public void Validate_AllUnreadsWithEmptyIds_Accepts()
    {
        var intent = ValidIntent(Valid with { ChannelMode = "allUnreads", ChannelIds = [] });

        Assert.Equal(ChannelMode.AllUnreads, intent.ChannelMode);
        Assert.Empty(intent.ChannelIds);
    }

    [Fact]
    public void Validate_AllUnreadsWithIds_RejectsChannelIds()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelMode = "allUnreads", ChannelIds = ["dev"] }, Context);

        AssertOnlyError(result, "channelIds");
        Assert.Contains("empty", Assert.Single(result.Errors["channelIds"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SpecificWithoutIds_RejectsChannelIds()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = null }, Context);

        AssertOnlyError(result, "channelIds");
    }

    [Fact]
    public void Validate_SpecificWithEmptyIds_RejectsChannelIds()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = [] }, Context);

        AssertOnlyError(result, "channelIds");
        Assert.Contains($"1–{MaxChannels}", Assert.Single(result.Errors["channelIds"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SpecificWithMaxChannels_AcceptsThemInOrder()
    {
        var intent = ValidIntent(Valid with { ChannelIds = ["ops", "dev", "random"] });

        Assert.Equal(["ops", "dev", "random"], intent.ChannelIds);
    }

    [Fact]
    public void Validate_SpecificWithMoreThanMaxChannels_RejectsChannelIds()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["ops", "dev", "random", "support"] }, Context);

        AssertOnlyError(result, "channelIds");
        Assert.Contains($"1–{MaxChannels}", Assert.Single(result.Errors["channelIds"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxChannelsFromContext_IsTheLimit()
    {
        var wider = Context with { MaxChannelsPerSchedule = 4 };

        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["ops", "dev", "random", "support"] }, wider);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_DuplicateChannelId_RejectsChannelIdsNamingIt()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["dev", "support", "dev"] }, Context);

        AssertOnlyError(result, "channelIds");
        var message = Assert.Single(result.Errors["channelIds"]);
        Assert.Contains("'dev'", message, StringComparison.Ordinal);
        Assert.Contains("distinct", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChannelTheUserCannotRead_RejectsChannelIdsNamingIt()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["dev", "secret"] }, Context);

        AssertOnlyError(result, "channelIds");
        var message = Assert.Single(result.Errors["channelIds"]);
        Assert.Contains("'secret'", message, StringComparison.Ordinal);
        Assert.Contains("can read", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChannelIdsCompareOrdinally_RejectsOtherCase()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["DEV"] }, Context);

        AssertOnlyError(result, "channelIds");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Validate_BlankChannelId_RejectsChannelIds(string? id)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["dev", id] }, Context);

        AssertOnlyError(result, "channelIds");
    }

    [Fact]
    public void Validate_SeveralChannelProblems_ReportsEach()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { ChannelIds = ["dev", "dev", "secret"] }, Context);

        AssertOnlyError(result, "channelIds");
        Assert.Equal(2, result.Errors["channelIds"].Length);
    }

    // ---- agent ----

    [Fact]
    public void Validate_AgentMissing_DefaultsToExtractive()
    {
        Assert.Equal("extractive", ValidIntent(Valid with { Agent = null }).Agent);
    }

    [Fact]
    public void Validate_ConfiguredAgent_Accepts()
    {
        Assert.Equal("llm", ValidIntent(Valid with { Agent = "llm" }).Agent);
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("Extractive")]
    [InlineData("")]
    public void Validate_UnconfiguredAgent_RejectsAgentListingConfiguredOnes(string agent)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { Agent = agent }, Context);

        AssertOnlyError(result, "agent");
        var message = Assert.Single(result.Errors["agent"]);
        Assert.Contains("extractive", message, StringComparison.Ordinal);
        Assert.Contains("llm", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultAgentNotConfigured_RejectsAgent()
    {
        var onlyLlm = Context with { Agents = new HashSet<string>(StringComparer.Ordinal) { "llm" } };

        var result = ScheduleIntentValidator.Validate(Valid with { Agent = null }, onlyLlm);

        AssertOnlyError(result, "agent");
    }

    // ---- customInstructions ----

    [Fact]
    public void Validate_CustomInstructions500Characters_KeepsThem()
    {
        var instructions = new string('i', 500);

        Assert.Equal(instructions, ValidIntent(Valid with { CustomInstructions = instructions }).CustomInstructions);
    }

    [Fact]
    public void Validate_CustomInstructions501Characters_RejectsCustomInstructions()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { CustomInstructions = new string('i', 501) }, Context);

        AssertOnlyError(result, "customInstructions");
        Assert.Contains("500", Assert.Single(result.Errors["customInstructions"]), StringComparison.Ordinal);
    }

    // ---- skipIfEmpty, skipDates ----

    [Fact]
    public void Validate_SkipControlsMissing_OffAndNoDates()
    {
        var intent = ValidIntent(Valid);

        Assert.False(intent.SkipIfEmpty);
        Assert.Empty(intent.SkipDates.Dates);
    }

    [Fact]
    public void Validate_SkipControls_KeptWithTheDatesInOrder()
    {
        var intent = ValidIntent(Valid with { SkipIfEmpty = true, SkipDates = ["2026-12-24", "2026-03-10"] });

        Assert.True(intent.SkipIfEmpty);
        Assert.Equal([new LocalDate(2026, 3, 10), new LocalDate(2026, 12, 24)], intent.SkipDates.Dates);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2026-2-03")]
    [InlineData("24.12.2026")]
    [InlineData("2026-12-24T00:00")]
    [InlineData("+2026-12-24")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_SkipDateNotADate_NamesItsIndex(string? date)
    {
        var result = ScheduleIntentValidator.Validate(Valid with { SkipDates = ["2026-12-24", date] }, Context);

        AssertOnlyError(result, "skipDates[1]");
        Assert.Contains("yyyy-MM-dd", Assert.Single(result.Errors["skipDates[1]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SkipDateTwice_NamesTheRepeat()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { SkipDates = ["2026-12-24", "2026-12-31", "2026-12-24"] }, Context);

        AssertOnlyError(result, "skipDates[2]");
        Assert.Contains("more than once", Assert.Single(result.Errors["skipDates[2]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FiftySkipDates_Kept()
    {
        var dates = Enumerable.Range(0, SkipDateSet.MaxCount).Select(i => new LocalDate(2026, 4, 1).PlusDays(i)).ToList();

        var intent = ValidIntent(Valid with { SkipDates = [.. dates.Select(SkipDateSet.Pattern.Format)] });

        Assert.Equal(dates, intent.SkipDates.Dates);
    }

    [Fact]
    public void Validate_FiftyOneSkipDates_RejectsSkipDates()
    {
        var dates = Enumerable.Range(0, SkipDateSet.MaxCount + 1).Select(i => SkipDateSet.Pattern.Format(new LocalDate(2026, 4, 1).PlusDays(i)));

        var result = ScheduleIntentValidator.Validate(Valid with { SkipDates = [.. dates] }, Context);

        AssertOnlyError(result, "skipDates");
        Assert.Contains("50", Assert.Single(result.Errors["skipDates"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SkipDatesOnAOneTimeSchedule_RejectsSkipDates()
    {
        AssertOnlyError(ScheduleIntentValidator.Validate(Valid with { Recurring = false, SkipDates = ["2026-12-24"] }, Context), "skipDates");
        Assert.Empty(ValidIntent(Valid with { Recurring = false, SkipDates = [] }).SkipDates.Dates);
    }

    [Fact]
    public void Validate_PassedSkipDates_DroppedNotRefused()
    {
        // Now is 2026-03-01 07:00 in New York: dates before yesterday skip nothing any more.
        var intent = ValidIntent(Valid with { SkipDates = ["2025-12-25", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"] });

        Assert.Equal([new LocalDate(2026, 2, 28), new LocalDate(2026, 3, 1), new LocalDate(2026, 3, 2)], intent.SkipDates.Dates);
    }

    [Fact]
    public void Validate_PassedSkipDates_JudgedInTheSchedulesZone()
    {
        // 03:00 UTC on 1 March is still 28 February in New York (yesterday: the 27th), already 1 March in Tokyo.
        var context = Context with { Now = Instant.FromUtc(2026, 3, 1, 3, 0) };
        var body = Valid with { SkipDates = ["2026-02-27"] };

        Assert.Equal([new LocalDate(2026, 2, 27)], ScheduleIntentValidator.Validate(body, context).Intent!.SkipDates.Dates);
        Assert.Empty(ScheduleIntentValidator.Validate(body with { TimeZone = "Asia/Tokyo" }, context).Intent!.SkipDates.Dates);
    }

    // ---- several rules at once ----

    [Fact]
    public void Validate_EveryFieldWrong_ReportsEveryFieldByCamelCaseName()
    {
        var input = new ScheduleIntentInput(
            Title: " ",
            DaysOfWeek: ["someday"],
            TimeOfDay: "25:00",
            TimeZone: "Mars/Base",
            ChannelMode: "everything",
            ChannelIds: ["dev"],
            Recurring: true,
            Agent: "oracle",
            CustomInstructions: new string('i', 501));

        var result = ScheduleIntentValidator.Validate(input, Context);

        Assert.False(result.IsValid);
        Assert.Null(result.Intent);
        Assert.Equal(
            ["agent", "channelMode", "customInstructions", "daysOfWeek", "timeOfDay", "timeZone", "title"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Errors.Values, messages => Assert.NotEmpty(messages));
    }

    [Fact]
    public void Validate_ChannelAndTimeWrong_ReportsBothAndNothingElse()
    {
        var result = ScheduleIntentValidator.Validate(Valid with { TimeOfDay = "9:00", ChannelIds = ["secret"] }, Context);

        Assert.Null(result.Intent);
        Assert.Equal(["channelIds", "timeOfDay"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    private static ScheduleIntent ValidIntent(ScheduleIntentInput input)
    {
        var result = ScheduleIntentValidator.Validate(input, Context);
        Assert.Empty(result.Errors);
        return Assert.IsType<ScheduleIntent>(result.Intent);
    }

    private static void AssertOnlyError(ValidationResult result, string field)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Intent);
        Assert.Equal([field], result.Errors.Keys);
        Assert.NotEmpty(result.Errors[field]);
    }
}
