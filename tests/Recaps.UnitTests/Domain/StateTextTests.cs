using System.Diagnostics;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

/// <summary>
/// Each state enum's one mapping to the text in the columns (the migrations' CHECK constraints) and
/// in the API's JSON: written out here by hand, so a renamed member cannot change what is stored or sent.
/// </summary>
public class StateTextTests
{
    public static TheoryData<ScheduleStatus, string> ScheduleStatuses => new()
    {
        { ScheduleStatus.Active, "active" },
        { ScheduleStatus.Paused, "paused" },
        { ScheduleStatus.Completed, "completed" },
    };

    public static TheoryData<RunStatus, string> RunStatuses => new()
    {
        { RunStatus.Pending, "pending" },
        { RunStatus.Running, "running" },
        { RunStatus.Completed, "completed" },
        { RunStatus.Failed, "failed" },
        { RunStatus.Skipped, "skipped" },
        { RunStatus.Missed, "missed" },
    };

    public static TheoryData<SyncState, string> SyncStates => new()
    {
        { SyncState.Pending, "pending" },
        { SyncState.Synced, "synced" },
        { SyncState.Error, "error" },
    };

    public static TheoryData<OutboxOperation, string> OutboxOperations => new()
    {
        { OutboxOperation.Upsert, "upsert" },
        { OutboxOperation.Delete, "delete" },
        { OutboxOperation.Pause, "pause" },
        { OutboxOperation.Resume, "resume" },
        { OutboxOperation.Run, "run" },
        { OutboxOperation.Regenerate, "regenerate" },
    };

    public static TheoryData<PauseOwner, string> PauseOwners => new()
    {
        { PauseOwner.User, "user" },
        { PauseOwner.Operator, "operator" },
    };

    public static TheoryData<RecapRating, string> RecapRatings => new()
    {
        { RecapRating.Up, "up" },
        { RecapRating.Down, "down" },
    };

    [Theory]
    [MemberData(nameof(ScheduleStatuses))]
    public void ScheduleStatus_HasItsTextAndIsReadBackFromIt(ScheduleStatus status, string text) =>
        AssertRoundTrip(status, text, ScheduleStatusText.ToText, ScheduleStatusText.Parse);

    [Theory]
    [MemberData(nameof(RunStatuses))]
    public void RunStatus_HasItsTextAndIsReadBackFromIt(RunStatus status, string text) =>
        AssertRoundTrip(status, text, RunStatusText.ToText, RunStatusText.Parse);

    [Theory]
    [MemberData(nameof(SyncStates))]
    public void SyncState_HasItsTextAndIsReadBackFromIt(SyncState state, string text) =>
        AssertRoundTrip(state, text, SyncStateText.ToText, SyncStateText.Parse);

    [Theory]
    [MemberData(nameof(OutboxOperations))]
    public void OutboxOperation_HasItsTextAndIsReadBackFromIt(OutboxOperation operation, string text) =>
        AssertRoundTrip(operation, text, OutboxOperationText.ToText, OutboxOperationText.Parse);

    [Theory]
    [MemberData(nameof(PauseOwners))]
    public void PauseOwner_HasItsTextAndIsReadBackFromIt(PauseOwner owner, string text) =>
        AssertRoundTrip(owner, text, PauseOwnerText.ToText, PauseOwnerText.Parse);

    [Theory]
    [MemberData(nameof(RecapRatings))]
    public void RecapRating_HasItsTextAndIsReadBackFromIt_AndFoundFromARequest(RecapRating rating, string text)
    {
        AssertRoundTrip(rating, text, RecapRatingText.ToText, RecapRatingText.Parse);
        Assert.Equal(rating, RecapRatingText.Find(text));
    }

    [Fact]
    public void EveryMember_IsInItsTable()
    {
        Assert.Equal(Enum.GetValues<ScheduleStatus>(), ScheduleStatuses.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<RunStatus>(), RunStatuses.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<SyncState>(), SyncStates.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<OutboxOperation>(), OutboxOperations.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<PauseOwner>(), PauseOwners.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<RecapRating>(), RecapRatings.Select(row => row.Data.Item1));
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("Upsert")]
    [InlineData(" upsert")]
    [InlineData("")]
    public void UnknownText_ThrowsNamingTheTypeAndTheText(string text)
    {
        AssertUnknown(nameof(ScheduleStatus), text, ScheduleStatusText.Parse);
        AssertUnknown(nameof(RunStatus), text, RunStatusText.Parse);
        AssertUnknown(nameof(SyncState), text, SyncStateText.Parse);
        AssertUnknown(nameof(OutboxOperation), text, OutboxOperationText.Parse);
        AssertUnknown(nameof(PauseOwner), text, PauseOwnerText.Parse);
        AssertUnknown(nameof(RecapRating), text, RecapRatingText.Parse);
        Assert.Null(RecapRatingText.Find(text));
    }

    [Fact]
    public void ValueOfNoMember_HasNoText()
    {
        Assert.Throws<UnreachableException>(() => ((ScheduleStatus)99).ToText());
        Assert.Throws<UnreachableException>(() => ((RunStatus)99).ToText());
        Assert.Throws<UnreachableException>(() => ((SyncState)99).ToText());
        Assert.Throws<UnreachableException>(() => ((OutboxOperation)99).ToText());
        Assert.Throws<UnreachableException>(() => ((PauseOwner)99).ToText());
        Assert.Throws<UnreachableException>(() => ((RecapRating)99).ToText());
    }

    private static void AssertRoundTrip<T>(T value, string text, Func<T, string> toText, Func<string, T> parse)
    {
        Assert.Equal(text, toText(value));
        Assert.Equal(value, parse(text));
    }

    private static void AssertUnknown<T>(string type, string text, Func<string, T> parse)
    {
        var error = Assert.Throws<UnknownStateTextException>(() => parse(text));
        Assert.Equal(type, error.StateType);
        Assert.Equal(text, error.Text);
        Assert.Equal($"Unknown {type} '{text}'.", error.Message);
    }
}
