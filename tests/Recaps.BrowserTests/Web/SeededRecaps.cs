using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Chat;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Web;

/// <summary>
/// Recaps stored as the product stores them, without Temporal (this tier has none): posts in the
/// built-in chat store, a schedule made through the API, and its occurrence or a regeneration run
/// through the real activities on the API's own database and clock.
/// </summary>
internal static class SeededRecaps
{
    public const string Decision = "We decided to ship the release on Friday after the migration review.";

    public const string Request = "@sam please review the migration by Thursday.";

    /// <summary>
    /// Sam's "Standup digest" of #general in Tokyo, with two posts by lee an hour before its first
    /// run; returns the schedule and the recap that run stored.
    /// </summary>
    public static async Task<(JsonElement Schedule, string RecapId)> StandupRecapAsync(this WebAppSession web)
    {
        using var sam = web.Api.As("sam");
        var schedule = await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("timeZone", "Asia/Tokyo"));
        var chat = web.Api.Services.GetRequiredService<PostgresChatStore>();
        var nominal = NodaTime.Text.InstantPattern.General.Parse(schedule.GetProperty("nextRuns")[0].Text("at")).Value;
        await chat.AddPostAsync("general", "lee", Decision, nominal - Duration.FromMinutes(61), ApiCalls.Cancel);
        await chat.AddPostAsync("general", "lee", Request, nominal - Duration.FromMinutes(60), ApiCalls.Cancel);
        var (_, generated) = await ApiWorld.RunFirstOccurrenceAsync(web.Api.Services, web.Api.Clock, schedule);
        // Routed as the worker's PlanDeliveries routes it: sam never chose targets, so in the app.
        var recap = await web.Api.Services.GetRequiredService<RecapRepository>().GetAsync(generated!.RecapId, ApiCalls.Cancel);
        var targets = await web.Api.Services.GetRequiredService<UserDeliveryStore>().GetAsync("sam", ApiCalls.Cancel);
        await web.Api.Services.GetRequiredService<RecapDeliveryStore>().PlanOnceAsync(recap!, targets, web.Api.Clock.GetCurrentInstant(), ApiCalls.Cancel);
        return (schedule, generated.RecapId.ToString());
    }

    /// <summary>Writes the regeneration asked for by <paramref name="recapId"/>'s run as its workflow's activity would.</summary>
    public static async Task WriteRegenerationAsync(this WebAppSession web, string recapId)
    {
        await using var find = web.Api.Database.CreateCommand($"SELECT id FROM recap_regenerations WHERE recap_id = '{recapId}'");
        var regenerationId = (Guid)(await find.ExecuteScalarAsync(ApiCalls.Cancel))!;
        var activities = ActivatorUtilities.CreateInstance<RegenerationActivities>(web.Api.Services);
        await RecapWorld.RunActivity(() => activities.RegenerateRecapAsync(new RegenerateRecapRequest(regenerationId)));
    }

    /// <summary>Records the one regeneration asked for as failed for good, as its workflow's last step does.</summary>
    public static async Task FailRegenerationAsync(this WebAppSession web, string error)
    {
        await using var find = web.Api.Database.CreateCommand("SELECT id FROM recap_regenerations");
        var regenerationId = (Guid)(await find.ExecuteScalarAsync(ApiCalls.Cancel))!;
        await web.Api.Services.GetRequiredService<RecapRegenerations>().MarkFailedAsync(regenerationId, error, ApiCalls.Cancel);
    }

    /// <summary>Rows of <paramref name="table"/>: what was (not) stored.</summary>
    public static async Task<long> CountAsync(this WebAppSession web, string table, string where = "TRUE")
    {
        await using var command = web.Api.Database.CreateCommand($"SELECT count(*) FROM {table} WHERE {where}");
        return (long)(await command.ExecuteScalarAsync(ApiCalls.Cancel))!;
    }
}
