using System.Diagnostics;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class RunLifecycleTests
{
    /// <summary>Every allowed move, written out: anything not listed must be refused.</summary>
    private static readonly HashSet<(RunStatus From, RunStatus To)> Allowed =
    [
        (RunStatus.Pending, RunStatus.Running),
        (RunStatus.Pending, RunStatus.Skipped),
        (RunStatus.Pending, RunStatus.Missed),
        (RunStatus.Pending, RunStatus.Failed),
        (RunStatus.Missed, RunStatus.Running),
        (RunStatus.Missed, RunStatus.Skipped),
        (RunStatus.Missed, RunStatus.Missed),
        (RunStatus.Running, RunStatus.Completed),
        (RunStatus.Running, RunStatus.Failed),
        (RunStatus.Running, RunStatus.Skipped),
    ];

    public static TheoryData<RunStatus, RunStatus> EveryPair =>
        new(Enum.GetValues<RunStatus>().SelectMany(from => Enum.GetValues<RunStatus>().Select(to => (from, to))));

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void CanMove_OnlyTheListedMoves(RunStatus from, RunStatus to) =>
        Assert.Equal(Allowed.Contains((from, to)), RunLifecycle.CanMove(from, to));

    [Theory]
    [InlineData(RunStatus.Completed)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Skipped)]
    public void EndedRun_IsFinal(RunStatus ended) =>
        Assert.All(Enum.GetValues<RunStatus>(), to => Assert.False(RunLifecycle.CanMove(ended, to)));

    [Fact]
    public void EnsureCanMove_DisallowedMove_ThrowsNamingBothStatuses()
    {
        var error = Assert.Throws<RunTransitionException>(() => RunLifecycle.EnsureCanMove(RunStatus.Completed, RunStatus.Running));

        Assert.Equal((RunStatus.Completed, RunStatus.Running), (error.From, error.To));
        Assert.Equal("A completed run cannot become running.", error.Message);
    }

    [Fact]
    public void EnsureCanMove_AllowedMove_DoesNotThrow() =>
        RunLifecycle.EnsureCanMove(RunStatus.Missed, RunStatus.Running);

    [Fact]
    public void NewRun_StartsAsAnythingButCompleted()
    {
        Assert.Equal(
            [RunStatus.Pending, RunStatus.Running, RunStatus.Failed, RunStatus.Skipped, RunStatus.Missed],
            Enum.GetValues<RunStatus>().Where(RunLifecycle.CanStartAs));
        var error = Assert.Throws<RunTransitionException>(() => RunLifecycle.EnsureCanMove(null, RunStatus.Completed));
        Assert.Null(error.From);
        Assert.Equal("No run starts completed.", error.Message);
    }

    [Fact]
    public void Before_IsWhatTheConditionalUpdatesMatch()
    {
        Assert.Equal([RunStatus.Running], RunLifecycle.Before(RunStatus.Completed));
        Assert.Equal([RunStatus.Pending, RunStatus.Running], RunLifecycle.Before(RunStatus.Failed));
        Assert.Equal([RunStatus.Pending, RunStatus.Missed], RunLifecycle.Before(RunStatus.Running));
    }

    [Fact]
    public void HoldsOccurrence_AllButSkippedAndFailed() =>
        Assert.Equal([RunStatus.Failed, RunStatus.Skipped], Enum.GetValues<RunStatus>().Where(s => !RunLifecycle.HoldsOccurrence(s)));

    [Fact]
    public void IsUnfinished_PendingAndRunning() =>
        Assert.Equal([RunStatus.Pending, RunStatus.Running], Enum.GetValues<RunStatus>().Where(RunLifecycle.IsUnfinished));

    [Fact]
    public void ValueOfNoMember_Throws()
    {
        Assert.Throws<UnreachableException>(() => RunLifecycle.CanMove((RunStatus)99, RunStatus.Running));
        Assert.Throws<UnreachableException>(() => RunLifecycle.HoldsOccurrence((RunStatus)99));
        Assert.Throws<UnreachableException>(() => RunLifecycle.IsUnfinished((RunStatus)99));
        Assert.Throws<UnreachableException>(() => RunLifecycle.CanStartAs((RunStatus)99));
    }
}
