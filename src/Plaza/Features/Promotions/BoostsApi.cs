using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Features.Ordering;

namespace Plaza.Features.Promotions;

public sealed record BoostRequest(
    [property: JsonPropertyName("object"), Description("The post to re-share: a Note's id (URL) on any node.")] string? ObjectId);

public sealed record BoostResponse(long Id, [property: JsonPropertyName("object")] string ObjectId, string Author, string Announce, DateTimeOffset BoostedAt);

/// <summary>
/// Shop links: a shop boosts (<c>Announce</c>) another shop's public post to its own followers, and
/// can take the boost back (<c>Undo</c>). Behind an owner token, as the console's boosts page is for owners.
/// </summary>
public static class BoostsApi
{
    public static RouteGroupBuilder MapBoostsApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/boosts", BoostPost).RequireOwnerToken()
            .WithName("BoostPost").WithSummary("Re-shares another shop's public post (Announce) to this shop's followers and tells its author.");
        shopGroup.MapGet("/boosts", ListBoosts).RequireOwnerToken()
            .WithName("ListBoosts").WithSummary("Posts the shop re-shared, newest first.");
        shopGroup.MapDelete("/boosts/{id:long}", UndoBoost).RequireOwnerToken()
            .WithName("UndoBoost").WithSummary("Takes a re-share back: Undo(Announce) to the same audience.");
        return shopGroup;
    }

    private static async Task<Results<Accepted<BoostResponse>, ProblemHttpResult>> BoostPost(BoostRequest request, Boosts boosts, CancellationToken ct)
    {
        var boosted = await boosts.BoostAsync(request.ObjectId, ct);
        return boosted switch
        {
            { Boost: { } boost } => TypedResults.Accepted((string?)null, Response(boost)),
            { Refusal: { } refusal } => Problems.Make(StatusCodes.Status403Forbidden, "blocked", refusal),
            _ => Problems.Invalid(new Dictionary<string, string[]> { ["object"] = [boosted.Error!] }),
        };
    }

    private static async Task<Ok<List<BoostResponse>>> ListBoosts(Boosts boosts, CancellationToken ct) =>
        TypedResults.Ok((await boosts.ListAsync(ct)).Select(Response).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> UndoBoost(long id, Boosts boosts, CancellationToken ct) =>
        await boosts.UndoAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound(Text.Say("There is no such boost."));

    private static BoostResponse Response(Boost b) => new(b.Id, b.ObjectId, b.AuthorId, b.AnnounceId, new DateTimeOffset(b.BoostedAt));
}
