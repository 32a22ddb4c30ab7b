using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recaps.Api.Auth;
using Recaps.Api.Problems;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Recaps;

/// <summary>A version of a recap's window (its run's).</summary>
/// <param name="RecapId">What <c>GET /v1/recaps/{id}</c> finds once it is stored.</param>
/// <param name="Version">1 for the run's own recap; each regeneration asked for takes the next.</param>
/// <param name="Agent">The agent that wrote it, or is asked to.</param>
/// <param name="State"><c>stored</c>; or, for a regeneration not written, <c>pending</c> or <c>failed</c> (with <c>error</c>).</param>
/// <param name="At">When it was stored, asked for (pending) or given up (failed).</param>
/// <param name="Error">Why a regeneration failed, safe to show; null otherwise.</param>
public sealed record RecapVersionView(Guid RecapId, int Version, string Agent, string State, DateTime At, string? Error)
{
    public static RecapVersionView From(RecapVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.RecapId, version.Version, version.Agent, version.State.ToText(), version.At.ToDateTimeUtc(), version.Error);
    }
}

public sealed record RecapVersionListResponse(IReadOnlyList<RecapVersionView> Items);

/// <summary>A post a recap cites, as the chat source has it now.</summary>
public sealed record CitedPostView(string Id, string ChannelId, string AuthorId, string Message, DateTime CreatedAt);

public sealed record CitedPostListResponse(IReadOnlyList<CitedPostView> Items);

/// <summary>What a reader of a recap needs besides the recap: its other versions, and the posts it cites.</summary>
public static class RecapReaderApi
{
    public static RouteGroupBuilder MapRecapReaderApi(this RouteGroupBuilder recaps)
    {
        ArgumentNullException.ThrowIfNull(recaps);
        recaps.MapGet("/{id:guid}/versions", VersionsAsync)
            .WithSummary("Every version of this recap's window, oldest first: stored ones, and regenerations asked for that are pending or failed.")
            .ProducesNotFound();
        recaps.MapGet("/{id:guid}/posts", CitedPostsAsync)
            .WithSummary("The posts this recap's highlights and action items cite, oldest first, as the chat source has them now. "
                + "A cited post missing here was deleted or purged, or is in a channel the caller can no longer read.")
            .ProducesNotFound();
        return recaps;
    }

    private static async Task<Results<Ok<RecapVersionListResponse>, ProblemHttpResult>> VersionsAsync(
        Guid id, ClaimsPrincipal user, RecapVersions versions, CancellationToken cancellationToken)
    {
        var found = await versions.OfAsync(id, user.Id(), cancellationToken);
        return found.Count == 0 ? ApiProblems.NotFound("recap") : TypedResults.Ok(new RecapVersionListResponse([.. found.Select(RecapVersionView.From)]));
    }

    private static async Task<Results<Ok<CitedPostListResponse>, ProblemHttpResult>> CitedPostsAsync(
        Guid id, ClaimsPrincipal user, RecapRepository recaps, IChatSource chat, IOptions<RecapsOptions> options, CancellationToken cancellationToken)
    {
        if (await recaps.FindOwnedAsync(id, user.Id(), cancellationToken) is not { } recap)
        {
            return ApiProblems.NotFound("recap");
        }

        var cited = new List<CitedPostView>();
        foreach (var channel in recap.Channels)
        {
            var ids = channel.Highlights.Concat(channel.ActionItems).SelectMany(item => item.PostIds).ToHashSet(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                continue;
            }

            // Read as the recap was written, bounded the same way, and as the caller now: a channel they left shows nothing.
            var posts = await chat.PostsAsync(
                user.Id(), channel.ChannelId, recap.WindowStart, recap.WindowEnd, options.Value.Limits.MaxPostsPerChannel, cancellationToken) ?? [];
            cited.AddRange(posts.Where(post => ids.Contains(post.Id))
                .Select(post => new CitedPostView(post.Id, post.ChannelId, post.AuthorId, post.Message, post.CreatedAt.ToDateTimeUtc())));
        }

        return TypedResults.Ok(new CitedPostListResponse([.. cited.OrderBy(post => post.CreatedAt).ThenBy(post => post.Id, StringComparer.Ordinal)]));
    }
}
