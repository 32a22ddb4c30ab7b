using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NodaTime;
using NodaTime.Text;
using Recaps.Api.Auth;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Schedules;

/// <summary>
/// <c>/v1/schedules</c>: a user's schedules. Changes are stored with their outbox row; the sync in
/// the worker applies them to Temporal, so these calls work while Temporal is down.
/// </summary>
public static partial class SchedulesApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const int MaxIdempotencyKeyLength = 255;

    public const int MaxPauseReasonLength = 500;

    public const int MaxPreviewCount = 50;

    public const int MaxPreviewYears = 100;

    public const int DefaultListLimit = 50;

    public const int MaxListLimit = 200;

    public const string TemporalExpansion = "temporal";

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/v1/schedules")
            .WithTags("Schedules")
            .RequireAuthorization()
            .RequireRateLimiting(UserRateLimiting.Policy)
            .ProducesCallerProblems();

        schedules.MapPost("/", CreateAsync)
            .WithSummary("Create a schedule.")
            .WithDescription($"Send `{IdempotencyKeyHeader}` to make a retry safe: the same key with the same body returns the schedule the first request created.")
            .WithParameter(IdempotencyKeyHeader, () => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = MaxIdempotencyKeyLength,
                // What an HTTP field value carries: visible ASCII, with spaces and tabs inside.
                Pattern = @"^[!-~](?:[\t -~]*[!-~])?$",
            })
            .ProducesBodyProblems()
            .ProducesConflict();
        schedules.MapGet("/", ListAsync)
            .WithSummary("The caller's schedules, newest first, a page at a time.")
            .WithDescription(
                "Items leave out the Temporal schedule (`temporal` is null) unless `expand=temporal`; `GET /v1/schedules/{id}` always has it. " +
                "When more schedules follow, `nextCursor` asks for them; pages never repeat or skip a schedule when others are created or deleted in between.")
            .WithParameter("limit", () => ParameterSchemas.Range(1, MaxListLimit, DefaultListLimit))
            .WithParameter("cursor", () => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = ScheduleCursor.Pattern,
                Description = "The `nextCursor` of the previous page.",
            })
            .WithParameter("expand", () => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [TemporalExpansion] });
        schedules.MapGet("/{id:guid}", GetAsync).WithSummary("One schedule.").ProducesNotFound();
        schedules.MapPut("/{id:guid}", UpdateAsync)
            .WithSummary("Replace a schedule's editable fields (the create body).")
            .ProducesBodyProblems()
            .ProducesNotFound();
        schedules.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a schedule; the sync deletes its Temporal schedule.").ProducesNotFound();
        schedules.MapPost("/{id:guid}/pause", PauseAsync)
            .WithSummary("Pause a schedule (idempotent).")
            .ProducesBodyProblems()
            .ProducesNotFound()
            .ProducesConflict();
        schedules.MapPost("/{id:guid}/resume", ResumeAsync)
            .WithSummary("Lift the caller's pause; an operator's pause stays until the operator lifts it.")
            .ProducesNotFound()
            .ProducesConflict();
        schedules.MapPost("/{id:guid}/skip-next", SkipNextAsync)
            .WithSummary("Skip the schedule's next run: its local date joins skipDates; each call skips one more.")
            .WithDescription("Only an active recurring schedule has a next run to skip: a paused, completed or one-time one answers 409, as does one whose skipDates are full.")
            .ProducesNotFound()
            .ProducesConflict();
        schedules.MapPost("/{id:guid}/run", RunNowAsync)
            .WithSummary("Run a recap now, outside the timetable; limited by a cooldown and an hourly quota.")
            .ProducesNotFound()
            .ProducesConflict();
        schedules.MapGet("/{id:guid}/runs", RunsAsync)
            .WithSummary("The schedule's run history, newest first, including skipped and missed occurrences.")
            .WithParameter("limit", () => ParameterSchemas.Range(1, RunViews.MaxLimit, RunViews.DefaultLimit))
            .ProducesNotFound();
        schedules.MapPost("/preview", Preview)
            .WithSummary("The next runs a create body would have; nothing is stored.")
            .WithParameter("count", () => ParameterSchemas.Range(1, MaxPreviewCount, DerivedSchedules.NextRunCount))
            .WithParameter("from", () => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "date-time",
                Description = $"The runs after this instant (now when absent), within {MaxPreviewYears} years of now. {RequestSchemas.DateTimeRule}",
            })
            .ProducesBodyProblems();
        return app;
    }

    private static async Task<Results<Created<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ScheduleIntentInput body,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        ScheduleValidation validation,
        ScheduleRepository schedules,
        ScheduleViews views,
        IOptions<RecapsOptions> options,
        IOptions<QuotaOptions> quotas,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            return ApiProblems.Invalid(IdempotencyKeyHeader, $"{IdempotencyKeyHeader} must be 1–{MaxIdempotencyKeyLength} characters.");
        }

        var validated = await validation.ValidateAsync(body, user.Id(), cancellationToken);
        if (validated.Intent is not { } intent)
        {
            return TypedResults.ValidationProblem(validated.Errors);
        }

        var limit = options.Value.Limits.MaxSchedulesPerUser;
        var creation = await schedules.CreateAsync(
            new NewSchedule(
                user.Id(), intent, limit, idempotencyKey, idempotencyKey is null ? null : ScheduleValidation.Digest(intent, body), quotas.Value.ScheduleChangesPerHour),
            cancellationToken);
        return creation switch
        {
            { Schedule: { } schedule } => TypedResults.Created($"/v1/schedules/{schedule.Id}", views.From(schedule)),
            { Outcome: ScheduleCreationOutcome.LimitReached } =>
                ApiProblems.Conflict($"You have {limit} schedules, the most allowed (Recaps:Limits:MaxSchedulesPerUser); delete one first."),
            { RetryAfter: { } wait } => ApiProblems.OverQuota(context, wait.ToTimeSpan(), quotas.Value.ScheduleChangesLimit),
            { Outcome: ScheduleCreationOutcome.KeyReused } =>
                ApiProblems.Conflict($"This {IdempotencyKeyHeader} was used with a different body; use a new key for a new schedule."),
            _ => ApiProblems.Conflict($"The schedule this {IdempotencyKeyHeader} created has been deleted; use a new key."),
        };
    }

    private static async Task<Results<Ok<ScheduleListResponse>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, string? expand, ClaimsPrincipal user, ScheduleRepository schedules, ScheduleViews views, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxListLimit)
        {
            errors["limit"] = [$"limit must be 1–{MaxListLimit}."];
        }

        SchedulePosition? after = null;
        if (cursor is not null)
        {
            if (ScheduleCursor.TryParse(cursor, out var position))
            {
                after = position;
            }
            else
            {
                errors["cursor"] = ["cursor must be the nextCursor of a previous page."];
            }
        }

        if (expand is not (null or TemporalExpansion))
        {
            errors["expand"] = [$"expand must be '{TemporalExpansion}' or absent."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // One more than the page: whether it is there says whether another page follows.
        var size = limit ?? DefaultListLimit;
        var found = await schedules.ListAsync(user.Id(), size + 1, after, cancellationToken);
        var page = found.Take(size).ToList();
        return TypedResults.Ok(new ScheduleListResponse(
            [.. page.Select(s => views.From(s, temporal: expand is not null))],
            found.Count > size ? ScheduleCursor.Format(SchedulePosition.Of(page[^1])) : null));
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, ScheduleRepository schedules, ScheduleViews views, CancellationToken cancellationToken) =>
        await schedules.FindOwnedAsync(id, user.Id(), cancellationToken) is { } schedule
            ? TypedResults.Ok(views.From(schedule))
            : ApiProblems.NotFound("schedule");

    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id,
        ScheduleIntentInput body,
        ClaimsPrincipal user,
        ScheduleValidation validation,
        ScheduleRepository schedules,
        ScheduleViews views,
        CancellationToken cancellationToken)
    {
        // Someone else's schedule is not found, whatever the body says.
        if (await schedules.FindOwnedAsync(id, user.Id(), cancellationToken) is null)
        {
            return ApiProblems.NotFound("schedule");
        }

        var validated = await validation.ValidateAsync(body, user.Id(), cancellationToken);
        if (validated.Intent is not { } intent)
        {
            return TypedResults.ValidationProblem(validated.Errors);
        }

        return await schedules.UpdateAsync(id, user.Id(), intent, cancellationToken) is { } updated
            ? TypedResults.Ok(views.From(updated))
            : ApiProblems.NotFound("schedule");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, HttpContext context, ScheduleRepository schedules, IOptions<QuotaOptions> quotas, CancellationToken cancellationToken)
    {
        if (await schedules.FindOwnedAsync(id, user.Id(), cancellationToken) is null)
        {
            return ApiProblems.NotFound("schedule");
        }

        return await schedules.DeleteAsync(id, quotas.Value.ScheduleChangesPerHour, cancellationToken) switch
        {
            { Deleted: true } => TypedResults.NoContent(),
            { RetryAfter: { } wait } => ApiProblems.OverQuota(context, wait.ToTimeSpan(), quotas.Value.ScheduleChangesLimit),
            _ => ApiProblems.NotFound("schedule"),
        };
    }

    private static async Task<Results<Ok<PreviewResponse>, ValidationProblem>> Preview(
        ScheduleIntentInput body,
        int? count,
        string? from,
        ClaimsPrincipal user,
        ScheduleValidation validation,
        TimeZoneData zones,
        IClock clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (count is < 1 or > MaxPreviewCount)
        {
            errors["count"] = [$"count must be 1–{MaxPreviewCount}."];
        }

        var after = clock.GetCurrentInstant();
        if (from is not null)
        {
            // Within a century of now: the engine cannot step past the ends of the calendar, and no
            // timetable is worth previewing further out.
            var century = Duration.FromDays(MaxPreviewYears * 366);
            if (OffsetDateTimePattern.ExtendedIso.Parse(from) is { Success: true } parsed
                && parsed.Value.ToInstant() is var instant && instant > after - century && instant < after + century)
            {
                after = instant;
            }
            else
            {
                errors["from"] = [$"from must be an ISO 8601 instant with an offset within {MaxPreviewYears} years of now, e.g. 2026-03-08T00:00:00Z."];
            }
        }

        var validated = await validation.ValidateAsync(body, user.Id(), cancellationToken);
        foreach (var (field, messages) in validated.Errors)
        {
            errors[field] = messages;
        }

        if (errors.Count > 0 || validated.Intent is not { } intent)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(new PreviewResponse(DerivedSchedules.Next(intent.RecurrenceFrom(after, zones), intent.SkipDates, after, count ?? DerivedSchedules.NextRunCount)));
    }
}
