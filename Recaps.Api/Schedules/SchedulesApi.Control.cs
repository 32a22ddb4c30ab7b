using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Auth;
using Recaps.Api.Problems;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Schedules;

/// <summary>What a user does to a schedule besides editing it: pause, resume, skip its next run, run now, and read its run history.</summary>
public static partial class SchedulesApi
{
    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> PauseAsync(
        Guid id, PauseRequest? body, ClaimsPrincipal user, ScheduleRepository schedules, ScheduleViews views, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        if ((reason is not null && TextLength.Of(reason) > MaxPauseReasonLength) || !StoredText.IsLine(reason))
        {
            return ApiProblems.Invalid("reason", $"reason must be at most {MaxPauseReasonLength} characters; {StoredText.Rule("reason")}");
        }

        var schedule = await schedules.FindOwnedAsync(id, user.Id(), cancellationToken);
        switch (schedule)
        {
            case null:
                return ApiProblems.NotFound("schedule");
            case { Status: ScheduleStatus.Completed }:
                return ApiProblems.Conflict("The one-time schedule has run; there is nothing to pause.");
            case { PausedByUser: true } when schedule.PauseReason == reason:
                return TypedResults.Ok(views.From(schedule));
        }

        return await schedules.PauseAsync(id, reason, cancellationToken) is { } paused
            ? TypedResults.Ok(views.From(paused))
            : ApiProblems.NotFound("schedule");
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ResumeAsync(
        Guid id, ClaimsPrincipal user, ScheduleRepository schedules, ScheduleViews views, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindOwnedAsync(id, user.Id(), cancellationToken);
        switch (schedule)
        {
            case null:
                return ApiProblems.NotFound("schedule");
            case { Status: ScheduleStatus.Completed }:
                return ApiProblems.Conflict("The one-time schedule has run; update it to run it again.");
            case { PausedByUser: false }:
                // Nothing of the user's to lift; an operator's pause, if any, still shows.
                return TypedResults.Ok(views.From(schedule));
        }

        return await schedules.ResumeAsync(id, cancellationToken) is { } resumed
            ? TypedResults.Ok(views.From(resumed))
            : ApiProblems.NotFound("schedule");
    }

    /// <summary>A change of intent like an update (new version, outbox row), decided from the version read: a concurrent change answers 409.</summary>
    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> SkipNextAsync(
        Guid id, ClaimsPrincipal user, ScheduleRepository schedules, ScheduleViews views, TimeZoneData zones, IClock clock, CancellationToken cancellationToken)
    {
        if (await schedules.FindOwnedAsync(id, user.Id(), cancellationToken) is not { } schedule)
        {
            return ApiProblems.NotFound("schedule");
        }

        var decision = SkipNext.Decide(schedule.Intent, schedule.Status, schedule.Temporal.OperatorPaused, schedule.RecurrenceIn(zones), clock.GetCurrentInstant());
        if (decision.Refusal is { } refusal)
        {
            return ApiProblems.Conflict(refusal);
        }

        return await schedules.SetSkipDatesAsync(id, schedule.Version, decision.Dates, cancellationToken) is { } skipped
            ? TypedResults.Ok(views.From(skipped))
            : ApiProblems.Conflict("The schedule changed while its next run was being skipped; read it again and retry.");
    }

    private static async Task<Results<Accepted<RunNowResponse>, ProblemHttpResult>> RunNowAsync(
        Guid id,
        ClaimsPrincipal user,
        HttpContext context,
        ScheduleRepository schedules,
        RunRepository runs,
        IOptions<RecapsOptions> options,
        IOptions<QuotaOptions> quotas,
        CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindOwnedAsync(id, user.Id(), cancellationToken);
        switch (schedule)
        {
            case null:
                return ApiProblems.NotFound("schedule");
            case { Status: ScheduleStatus.Completed }:
                return ApiProblems.Conflict("The one-time schedule has run; update it to run it again.");
            case { PausedByUser: true } or { Temporal.OperatorPaused: true }:
                return ApiProblems.Conflict("The schedule is paused; resume it to run it.");
        }

        var cooldown = options.Value.Limits.RunNowCooldown;
        var request = await runs.RequestRunAsync(id, Duration.FromTimeSpan(cooldown), quotas.Value.RunNowsPerHour, cancellationToken);
        return request switch
        {
            { Run: { } run } => TypedResults.Accepted($"/v1/schedules/{id}/runs", new RunNowResponse(run.Id)),
            { RetryAfter: { } wait, OverQuota: true } => ApiProblems.OverQuota(context, wait.ToTimeSpan(), quotas.Value.RunNowsLimit),
            { RetryAfter: { } wait } => ApiProblems.TooManyRequests(
                context, wait.ToTimeSpan(), $"A run-now was requested less than {cooldown} ago (Recaps:Limits:RunNowCooldown)."),
            _ => ApiProblems.NotFound("schedule"),
        };
    }

    private static async Task<Results<Ok<RunListResponse>, ValidationProblem, ProblemHttpResult>> RunsAsync(
        Guid id,
        int? limit,
        ClaimsPrincipal user,
        ScheduleRepository schedules,
        RunRepository runs,
        RunViews views,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > RunViews.MaxLimit)
        {
            return ApiProblems.Invalid("limit", $"limit must be 1–{RunViews.MaxLimit}.");
        }

        if (await schedules.FindOwnedAsync(id, user.Id(), cancellationToken) is null)
        {
            return ApiProblems.NotFound("schedule");
        }

        var history = await runs.ListAsync(id, limit ?? RunViews.DefaultLimit, cancellationToken);
        return TypedResults.Ok(new RunListResponse([.. history.Select(views.From)]));
    }
}
