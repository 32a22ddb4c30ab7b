using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using NodaTime;
using Recaps.Api.Auth;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Domain;

namespace Recaps.Api.Channels;

public sealed record ChannelRequest(string? Name, IReadOnlyList<string?>? MemberIds);

public sealed record ChannelResponse(string Id, string Name, IReadOnlyList<string> MemberIds);

public sealed record PostRequest(string? AuthorId, string? Message, DateTimeOffset? CreatedAt);

public sealed record PostResponse(string Id, string ChannelId);

public sealed record ReadRequest(DateTimeOffset? Until);

/// <summary>A channel the caller can read: what a schedule's <c>channelIds</c> may name.</summary>
public sealed record ReadableChannelResponse(string Id, string Name);

public sealed record ReadableChannelListResponse(IReadOnlyList<ReadableChannelResponse> Items);

/// <summary>
/// <c>/v1/channels</c>: the built-in chat store. Admins write channels and posts (as a chat
/// integration would); any user lists the channels they can read and marks what they have read,
/// which <c>allUnreads</c> recaps follow.
/// </summary>
public static class ChannelsApi
{
    public const int MaxIdLength = 255;

    public const int MaxMessageLength = 16_000;

    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var channels = app.MapGroup("/v1/channels")
            .WithTags("Chat store")
            .RequireRateLimiting(UserRateLimiting.Policy)
            .ProducesCallerProblems();
        channels.MapGet("/", ReadableAsync)
            .RequireAuthorization()
            .WithSummary("The channels the caller can read (a schedule's `channelIds` choose among them), by id.");
        // An id that breaks these rules names no channel: 400 for a write, 404 otherwise.
        var channel = channels.MapGroup("/{id}").WithParameter("id", () => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MaxLength = MaxIdLength,
            Pattern = StoredText.Pattern(nonBlank: true, alsoRefused: "/"),
            // A path segment of "." or ".." is resolved away by URL rules before it reaches any channel.
            Not = new OpenApiSchema { Enum = [".", ".."] },
            Description = $"At most {MaxIdLength} characters (Unicode code points); not blank; no `/` (a path segment cannot carry one). {StoredText.Rule("The id")}",
        });
        channel.MapPut("", UpsertAsync)
            .RequireAuthorization(RecapsUser.AdminPolicy)
            .WithSummary("Create or update a channel and set its members (admin).")
            .ProducesBodyProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        channel.MapPost("/posts", PostAsync)
            .RequireAuthorization(RecapsUser.AdminPolicy)
            .WithSummary("Add a post to a channel (admin).")
            .ProducesBodyProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesNotFound();
        channel.MapPost("/read", MarkReadAsync)
            .RequireAuthorization()
            .WithSummary("Mark the channel read by the caller, up to now or up to `until`.")
            .ProducesBodyProblems()
            .ProducesNotFound();
        return app;
    }

    private static async Task<Ok<ReadableChannelListResponse>> ReadableAsync(
        ClaimsPrincipal user, IChatSource chat, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReadableChannelListResponse(
            [.. (await chat.ReadableChannelsAsync(user.Id(), cancellationToken)).Select(c => new ReadableChannelResponse(c.Id, c.Name))]));

    private static async Task<Results<Ok<ChannelResponse>, ValidationProblem>> UpsertAsync(
        string id, ChannelRequest body, PostgresChatStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        CheckId(id, errors);
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || TextLength.Of(name) > ScheduleIntentValidator.MaxTitleLength)
        {
            errors.Add("name", $"name is required and must be 1–{ScheduleIntentValidator.MaxTitleLength} characters after trimming.");
        }

        StoredText.Check(errors, "name", name);
        if (body.MemberIds is null || body.MemberIds.Any(m => string.IsNullOrWhiteSpace(m) || TextLength.Of(m) > MaxIdLength || !StoredText.IsLine(m)))
        {
            errors.Add("memberIds", $"memberIds must be a list of user ids, each 1–{MaxIdLength} characters; {StoredText.Rule("a member id")}");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var members = body.MemberIds!.Select(m => m!).Distinct(StringComparer.Ordinal).ToList();
        await store.UpsertChannelAsync(id, name!, members, cancellationToken);
        return TypedResults.Ok(new ChannelResponse(id, name!, members));
    }

    private static async Task<Results<Created<PostResponse>, ValidationProblem, ProblemHttpResult>> PostAsync(
        string id, PostRequest body, PostgresChatStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(body.AuthorId) || TextLength.Of(body.AuthorId) > MaxIdLength)
        {
            errors.Add("authorId", $"authorId is required and must be 1–{MaxIdLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(body.Message) || TextLength.Of(body.Message) > MaxMessageLength)
        {
            errors.Add("message", $"message is required and must be 1–{MaxMessageLength} characters.");
        }

        StoredText.Check(errors, "authorId", body.AuthorId);
        // Chat content is data: only what PostgreSQL cannot hold is refused.
        if (!StoredText.IsStorable(body.Message))
        {
            errors.Add("message", "message must not contain the NUL character (U+0000).");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var createdAt = body.CreatedAt is { } at ? Instant.FromDateTimeOffset(at) : (Instant?)null;
        return StoredText.IsLine(id) && await store.AddPostAsync(id, body.AuthorId!, body.Message!, createdAt, cancellationToken) is { } postId
            ? TypedResults.Created((string?)null, new PostResponse(postId, id))
            : ApiProblems.NotFound("channel");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(
        string id, ReadRequest? body, ClaimsPrincipal user, PostgresChatStore store, CancellationToken cancellationToken)
    {
        var until = body?.Until is { } at ? Instant.FromDateTimeOffset(at) : (Instant?)null;
        // An id that cannot be stored names no channel.
        return StoredText.IsLine(id) && await store.MarkReadAsync(id, user.Id(), until, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("channel");
    }

    private static void CheckId(string id, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(id) || TextLength.Of(id) > MaxIdLength || !StoredText.IsLine(id))
        {
            errors.Add("id", $"the channel id must be 1–{MaxIdLength} characters; {StoredText.Rule("it")}");
        }
    }
}
