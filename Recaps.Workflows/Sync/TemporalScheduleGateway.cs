using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace Recaps.Workflows.Sync;

/// <summary>The gateway over a Temporal client; the mapping lives in <see cref="TemporalScheduleMapping"/>.</summary>
public sealed class TemporalScheduleGateway(ITemporalClient client, IOptions<TemporalOptions> temporal) : ITemporalScheduleGateway
{
    public async Task<bool> CreateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateScheduleAsync(
                scheduleId, schedule, new() { Memo = new Dictionary<string, object> { [ScheduleOwner.MemoKey] = owner }, Rpc = Rpc(cancellationToken) });
            return true;
        }
        catch (ScheduleAlreadyRunningException)
        {
            return false;
        }
    }

    public async Task<TemporalScheduleState?> DescribeAsync(string scheduleId, CancellationToken cancellationToken)
    {
        try
        {
            var description = await client.GetScheduleHandle(scheduleId).DescribeAsync(Rpc(cancellationToken));
            return TemporalScheduleMapping.FromDescription(scheduleId, description.Schedule.State, description.Info) with
            {
                Owner = await TemporalScheduleMapping.OwnerAsync(description.Memo),
            };
        }
        catch (RpcException error) when (error.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<bool> UpdateAsync(string scheduleId, Schedule schedule, string owner, CancellationToken cancellationToken) =>
        // The check reads the description the update itself is built on (the SDK sends no conflict
        // token, so a schedule replaced by hand between the two is still overwritten).
        IfExistsAsync(() => client.GetScheduleHandle(scheduleId).UpdateAsync(
            async input =>
            {
                await RequireOwnerAsync(scheduleId, input.Description.Memo, owner);
                return new ScheduleUpdate(TemporalScheduleMapping.KeepOperatorPause(schedule, input.Description.Schedule.State));
            },
            Rpc(cancellationToken)));

    public Task DeleteAsync(string scheduleId, string? owner, CancellationToken cancellationToken) =>
        IfExistsAsync(async () =>
        {
            var handle = client.GetScheduleHandle(scheduleId);
            await RequireOwnerAsync(scheduleId, (await handle.DescribeAsync(Rpc(cancellationToken))).Memo, owner);
            await handle.DeleteAsync(Rpc(cancellationToken));
        });

    public Task<bool> PauseAsync(string scheduleId, string note, CancellationToken cancellationToken) =>
        IfExistsAsync(() => client.GetScheduleHandle(scheduleId).PauseAsync(note, Rpc(cancellationToken)));

    public Task<bool> UnpauseAsync(string scheduleId, string note, CancellationToken cancellationToken) =>
        IfExistsAsync(() => client.GetScheduleHandle(scheduleId).UnpauseAsync(note, Rpc(cancellationToken)));

    public Task BackfillAsync(string scheduleId, Instant nominal, CancellationToken cancellationToken) =>
        client.GetScheduleHandle(scheduleId).BackfillAsync([TemporalScheduleMapping.Backfill(nominal)], Rpc(cancellationToken));

    public async Task StartRunNowAsync(RunNowStart start, CancellationToken cancellationToken)
    {
        var options = TemporalScheduleMapping.RunNowOptions(start, temporal.Value.TaskQueue);
        options.Rpc = Rpc(cancellationToken);
        try
        {
            await client.StartWorkflowAsync((RecapWorkflow workflow) => workflow.RunAsync(TemporalScheduleMapping.RunNowRequest(start)), options);
        }
        catch (WorkflowAlreadyStartedException)
        {
            // An earlier attempt started it (its outbox row was not marked before a crash or a failure).
        }
    }

    public async Task StartRegenerationAsync(Guid regenerationId, CancellationToken cancellationToken)
    {
        var options = RegenerateRecapWorkflow.Options(regenerationId, temporal.Value.TaskQueue);
        options.Rpc = Rpc(cancellationToken);
        try
        {
            await client.StartWorkflowAsync((RegenerateRecapWorkflow workflow) => workflow.RunAsync(new(regenerationId)), options);
        }
        catch (WorkflowAlreadyStartedException)
        {
            // An earlier attempt started it (its outbox row was not marked before a crash or a failure).
        }
    }

    public async Task<IReadOnlyList<Instant>?> MatchingTimesAsync(string scheduleId, Interval range, CancellationToken cancellationToken)
    {
        try
        {
            return await MatchingTimesAsync(client, scheduleId, range, cancellationToken);
        }
        catch (RpcException error) when (error.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The server's <c>ListScheduleMatchingTimes</c>, which the SDK's schedule handle does not offer.</summary>
    public static async Task<IReadOnlyList<Instant>> MatchingTimesAsync(
        ITemporalClient client, string scheduleId, Interval range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.WorkflowService.ListScheduleMatchingTimesAsync(
            new()
            {
                Namespace = client.Options.Namespace,
                ScheduleId = scheduleId,
                StartTime = Timestamp.FromDateTimeOffset(range.Start.ToDateTimeOffset()),
                EndTime = Timestamp.FromDateTimeOffset(range.End.ToDateTimeOffset()),
            },
            Rpc(cancellationToken));
        return [.. response.StartTime.Select(t => Instant.FromDateTimeOffset(t.ToDateTimeOffset()))];
    }

    public async IAsyncEnumerable<TemporalScheduleState> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Filtered here rather than by a visibility query: prefix queries on schedule ids are not supported by every visibility store.
        await foreach (var listed in client.ListSchedulesAsync(new() { Rpc = Rpc(cancellationToken) }).WithCancellation(cancellationToken))
        {
            if (listed.Id.StartsWith(TemporalScheduleSpecTranslator.ScheduleIdPrefix, StringComparison.Ordinal))
            {
                yield return TemporalScheduleMapping.FromListing(listed.Id, listed.Schedule?.State, listed.Info) with
                {
                    Owner = await TemporalScheduleMapping.OwnerAsync(listed.Memo),
                };
            }
        }
    }

    private static async Task RequireOwnerAsync(string scheduleId, IReadOnlyDictionary<string, IEncodedRawValue> memo, string? owner)
    {
        if (await TemporalScheduleMapping.OwnerAsync(memo) is var found && found != owner)
        {
            throw new ScheduleNotOwnedException(scheduleId, found);
        }
    }

    /// <summary>
    /// Transient server errors are retried by the SDK core, as its own handles ask for; a raw service call
    /// (the matching times) would otherwise fail on one, such as a schedule's full query buffer.
    /// </summary>
    private static RpcOptions Rpc(CancellationToken cancellationToken) => new() { CancellationToken = cancellationToken, Retry = true };

    /// <returns>False when Temporal has no such schedule.</returns>
    private static async Task<bool> IfExistsAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (RpcException error) when (error.Code == RpcException.StatusCode.NotFound)
        {
            return false;
        }
    }
}
