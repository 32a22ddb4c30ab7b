using System.Runtime.CompilerServices;
using NodaTime;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Sync;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Recaps.Testing;

/// <summary>A call the sync or the reconciler made; <see cref="Detail"/> is the note, workflow id or nominal time.</summary>
public sealed record GatewayCall(string Operation, string ScheduleId, string? Detail = null);

/// <summary>
/// Temporal's schedules as the gateway sees them, in memory: it records every call, keeps what a
/// server would keep (the schedule, its pause and note, its owner mark, started run-nows), and fails on demand —
/// down until brought back, the next N calls, or calls a predicate picks — as Temporal would, with
/// an <see cref="RpcException"/>. Operators' doings (a pause, a hand delete) are methods of their own.
/// </summary>
public sealed class InMemoryTemporalGateway : ITemporalScheduleGateway
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Schedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Instant? Next, Instant? Last)> _actions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunNowStart> _started = new(StringComparer.Ordinal);
    private readonly HashSet<string> _regenerations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<Instant>> _matching = new(StringComparer.Ordinal);
    private readonly List<GatewayCall> _calls = [];
    private readonly Dictionary<string, int> _inFlightBySchedule = new(StringComparer.Ordinal);
    private readonly HashSet<string> _overlapped = new(StringComparer.Ordinal);
    private int _failNext;
    private int _inFlight;

    /// <summary>While true every call fails as an unreachable server's would.</summary>
    public bool Down { get; set; }

    /// <summary>Calls for which this returns an exception throw it (after being recorded as attempted).</summary>
    public Func<GatewayCall, Exception?>? FailWhen { get; set; }

    /// <summary>How long every call takes, as a server's round trip would: calls then overlap.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The most calls that were in flight at once.</summary>
    public int MaxInFlight { get; private set; }

    /// <summary>Schedule ids that had a call start while another call of theirs was in flight.</summary>
    public IReadOnlySet<string> Overlapped
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<string>(_overlapped, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<GatewayCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Run-now workflows started, by workflow id; a second start of one is refused, as Temporal refuses it.</summary>
    public IReadOnlyDictionary<string, RunNowStart> StartedRuns
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, RunNowStart>(_started, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Regeneration workflows started, by workflow id; a second start of one is refused, as Temporal refuses it.</summary>
    public IReadOnlySet<string> StartedRegenerations
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<string>(_regenerations, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> calls fail as if Temporal were unavailable.</summary>
    public void FailNext(int count)
    {
        lock (_lock)
        {
            _failNext = count;
        }
    }

    public Schedule? Get(string scheduleId)
    {
        lock (_lock)
        {
            return _schedules.GetValueOrDefault(scheduleId);
        }
    }

    /// <summary>An operator's <c>temporal schedule toggle --pause/--unpause --reason</c>.</summary>
    public void Toggle(string scheduleId, bool paused, string reason)
    {
        lock (_lock)
        {
            var schedule = _schedules[scheduleId];
            _schedules[scheduleId] = schedule with { State = schedule.State with { Paused = paused, Note = reason } };
        }
    }

    public string? OwnerOf(string scheduleId)
    {
        lock (_lock)
        {
            return _owners.GetValueOrDefault(scheduleId);
        }
    }

    /// <summary>A schedule written (with <paramref name="owner"/>'s mark, or none) or deleted behind Recaps' back.</summary>
    public void Put(string scheduleId, Schedule? schedule, string? owner = null)
    {
        lock (_lock)
        {
            if (schedule is null)
            {
                _schedules.Remove(scheduleId);
            }
            else
            {
                _schedules[scheduleId] = schedule;
                _owners[scheduleId] = owner;
            }
        }
    }

    public void SetActions(string scheduleId, Instant? next, Instant? last)
    {
        lock (_lock)
        {
            _actions[scheduleId] = (next, last);
        }
    }

    /// <summary>
    /// What <see cref="MatchingTimesAsync"/> answers for the schedule: this gateway does not read specs
    /// (only a server judges them), so a test that needs the server's reading says what it is.
    /// </summary>
    public void SetMatchingTimes(string scheduleId, IReadOnlyList<Instant> times)
    {
        lock (_lock)
        {
            _matching[scheduleId] = times;
        }
    }

    public Task<bool> CreateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken) =>
        Call(new("create", scheduleId), () =>
        {
            if (!_schedules.TryAdd(scheduleId, schedule))
            {
                return false;
            }

            _owners[scheduleId] = owner;
            return true;
        });

    public Task<TemporalScheduleState?> DescribeAsync(string scheduleId, CancellationToken cancellationToken) =>
        Call(new("describe", scheduleId), () => _schedules.ContainsKey(scheduleId) ? State(scheduleId) : null);

    public Task<bool> UpdateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken) =>
        Call(new("update", scheduleId), () => RequireOwner(scheduleId, owner) && Replace(scheduleId, current => TemporalScheduleMapping.KeepOperatorPause(schedule, current.State)));

    public Task DeleteAsync(string scheduleId, string? owner, CancellationToken cancellationToken) =>
        Call(new("delete", scheduleId), () => RequireOwner(scheduleId, owner) && _schedules.Remove(scheduleId) && _owners.Remove(scheduleId));

    public Task<bool> PauseAsync(string scheduleId, string note, CancellationToken cancellationToken) =>
        Call(new("pause", scheduleId, note), () => Replace(scheduleId, s => s with { State = s.State with { Paused = true, Note = note } }));

    public Task<bool> UnpauseAsync(string scheduleId, string note, CancellationToken cancellationToken) =>
        Call(new("unpause", scheduleId, note), () => Replace(scheduleId, s => s with { State = s.State with { Paused = false, Note = note } }));

    public Task BackfillAsync(string scheduleId, Instant nominal, CancellationToken cancellationToken) =>
        Call(new("backfill", scheduleId, nominal.ToString()), () => _schedules.ContainsKey(scheduleId));

    public Task<IReadOnlyList<Instant>?> MatchingTimesAsync(string scheduleId, Interval range, CancellationToken cancellationToken) =>
        Call(new("matching", scheduleId), () => _schedules.ContainsKey(scheduleId) && _matching.TryGetValue(scheduleId, out var times)
            ? (IReadOnlyList<Instant>?)[.. times.Where(t => t > range.Start && t <= range.End)]
            : null);

    public Task StartRunNowAsync(RunNowStart start, CancellationToken cancellationToken)
    {
        var workflowId = TemporalScheduleMapping.RunNowOptions(start, "recaps").Id!;
        return Call(new("start", Workflows.Temporal.TemporalScheduleSpecTranslator.ScheduleId(start.ScheduleId), workflowId), () => _started.TryAdd(workflowId, start));
    }

    public Task StartRegenerationAsync(Guid regenerationId, CancellationToken cancellationToken)
    {
        var workflowId = RegenerateRecapWorkflow.WorkflowId(regenerationId);
        return Call(new("start", workflowId, workflowId), () => _regenerations.Add(workflowId));
    }

    public async IAsyncEnumerable<TemporalScheduleState> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = await Call(
            new("list", "*"),
            () => _schedules.Keys.Where(id => id.StartsWith(Workflows.Temporal.TemporalScheduleSpecTranslator.ScheduleIdPrefix, StringComparison.Ordinal)).Select(State).ToList());
        foreach (var state in listed)
        {
            yield return state;
        }
    }

    private TemporalScheduleState State(string scheduleId)
    {
        var state = _schedules[scheduleId].State;
        var (next, last) = _actions.GetValueOrDefault(scheduleId);
        return new(scheduleId, state.Paused, state.Note, next, last, _owners.GetValueOrDefault(scheduleId));
    }

    /// <summary>True when the schedule is missing (the call then finds nothing) or carries <paramref name="owner"/>'s mark.</summary>
    private bool RequireOwner(string scheduleId, string? owner)
    {
        if (_schedules.ContainsKey(scheduleId) && _owners.GetValueOrDefault(scheduleId) is var found && found != owner)
        {
            throw new ScheduleNotOwnedException(scheduleId, found);
        }

        return true;
    }

    private bool Replace(string scheduleId, Func<Schedule, Schedule> change)
    {
        if (!_schedules.TryGetValue(scheduleId, out var current))
        {
            return false;
        }

        _schedules[scheduleId] = change(current);
        return true;
    }

    private async Task<T> Call<T>(GatewayCall call, Func<T> apply)
    {
        lock (_lock)
        {
            _calls.Add(call);
            if (Down || _failNext > 0)
            {
                _failNext = Math.Max(0, _failNext - 1);
                throw new RpcException(RpcException.StatusCode.Unavailable, "Temporal is unreachable", null);
            }

            if (FailWhen?.Invoke(call) is { } error)
            {
                throw error;
            }

            MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            if (_inFlightBySchedule.GetValueOrDefault(call.ScheduleId) > 0)
            {
                _overlapped.Add(call.ScheduleId);
            }

            _inFlightBySchedule[call.ScheduleId] = _inFlightBySchedule.GetValueOrDefault(call.ScheduleId) + 1;
        }

        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }

            lock (_lock)
            {
                return apply();
            }
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
                _inFlightBySchedule[call.ScheduleId]--;
            }
        }
    }
}
