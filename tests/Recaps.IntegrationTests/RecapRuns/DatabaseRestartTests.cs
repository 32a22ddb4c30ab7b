using NodaTime;
using Npgsql;
using Recaps.Testing;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.RecapRuns;

/// <summary>Kills PostgreSQL before each activity; Temporal's retries after it is back must finish the run once.</summary>
public sealed class DatabaseRestartTests(OwnCluster cluster) : IClassFixture<OwnCluster>
{
    [Fact]
    public async Task DatabaseRestartsMidRun_RetriedActivities_CompleteTheRunOnce()
    {
        var server = cluster.Server;
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server this test must not restart.");
        await using var world = RecapWorld.On(RecapsDataSource.Create(await server.CreateDatabaseAsync()));
        await world.Chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        var schedule = await world.Schedules.CreateAsync("alice", RecapWorld.Daily(["dev"]));
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", "ship it", nominal - Duration.FromHours(1));
        var input = RecapWorld.Scheduled(schedule, nominal);
        var activities = world.Activities();

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input)));
        await server.StartServerAsync();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId))));
        await server.StartServerAsync();
        var recap = await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId))));
        await server.StartServerAsync();
        var marked = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));

        Assert.Equal(1, recap.MessageCount);
        Assert.True(marked.Counted);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_runs"));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }
}
