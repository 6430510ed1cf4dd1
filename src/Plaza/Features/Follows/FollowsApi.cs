using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Features.Ordering;

namespace Plaza.Features.Follows;

public sealed record FollowRequest([property: Description("acct:user@host, user@host, or an actor URL.")] string? Account);

public sealed record FollowingResponse(string Actor, string FollowId, bool Accepted);

/// <summary>Whom the shop follows. Behind an owner token, as the console's following page is for owners.</summary>
public static class FollowsApi
{
    public static RouteGroupBuilder MapFollowsApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/following", Follow).RequireOwnerToken()
            .WithName("FollowActor").WithSummary("Makes the shop follow a remote actor; the answer arrives later (see GET).");
        shopGroup.MapGet("/following", ListFollowing).RequireOwnerToken()
            .WithName("ListFollowing").WithSummary("Actors the shop follows or asked to follow.");
        return shopGroup;
    }

    private static async Task<Results<Accepted<FollowingResponse>, ProblemHttpResult>> Follow(
        FollowRequest request, FollowActions follows, CancellationToken ct)
    {
        var followed = await follows.FollowAsync(request.Account, ct);
        return followed.Refusal is { } refusal ? Problems.Make(StatusCodes.Status403Forbidden, "blocked", refusal)
            : followed.Following is { } following ? TypedResults.Accepted((string?)null, following)
            : Problems.Invalid(followed.Errors);
    }

    private static async Task<Ok<List<FollowingResponse>>> ListFollowing(FollowActions follows, CancellationToken ct) =>
        TypedResults.Ok(await follows.ListFollowingAsync(ct));
}
