using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Features.Federation;

/// <summary>A shop re-shared (boosted) another shop's public post to its own followers.</summary>
public sealed class Boost : IShopOwned
{
    public long Id { get; set; }
    public int ShopId { get; set; }
    /// <summary>The post boosted (a Note's id).</summary>
    public required string ObjectId { get; set; }
    /// <summary>The post's author, who is told of the boost too.</summary>
    public required string AuthorId { get; set; }
    public required string AnnounceId { get; set; }
    public DateTime BoostedAt { get; set; }
    /// <summary>When the shop took the boost back (Undo sent).</summary>
    public DateTime? UndoneAt { get; set; }
}

internal sealed class BoostConfiguration : IEntityTypeConfiguration<Boost>
{
    public void Configure(EntityTypeBuilder<Boost> boost)
    {
        boost.HasIndex(b => new { b.ShopId, b.ObjectId }).IsUnique();
        boost.HasIndex(b => b.AnnounceId).IsUnique();
        boost.Property(b => b.ObjectId).HasMaxLength(2048);
        boost.Property(b => b.AuthorId).HasMaxLength(2048);
        boost.Property(b => b.AnnounceId).HasMaxLength(2048);
        boost.HasOne<Shop>().WithMany().HasForeignKey(b => b.ShopId);
    }
}

public sealed record BoostRequest(
    [property: JsonPropertyName("object"), Description("The post to re-share: a Note's id (URL) on any node.")] string? ObjectId);

public sealed record BoostResponse(long Id, [property: JsonPropertyName("object")] string ObjectId, string Author, string Announce, DateTimeOffset BoostedAt);

/// <summary>
/// Shop links: a shop boosts (<c>Announce</c>) another shop's public post to its own followers, and
/// can take the boost back (<c>Undo</c>). Behind the staff token until the console's sign-in replaces it.
/// </summary>
public static class BoostsApi
{
    public static RouteGroupBuilder MapBoostsApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/boosts", BoostPost).RequireStaffToken()
            .WithName("BoostPost").WithSummary("Re-shares another shop's public post (Announce) to this shop's followers and tells its author.");
        shopGroup.MapGet("/boosts", ListBoosts).RequireStaffToken()
            .WithName("ListBoosts").WithSummary("Posts the shop re-shared, newest first.");
        shopGroup.MapDelete("/boosts/{id:long}", UndoBoost).RequireStaffToken()
            .WithName("UndoBoost").WithSummary("Takes a re-share back: Undo(Announce) to the same audience.");
        return shopGroup;
    }

    private static async Task<Results<Accepted<BoostResponse>, ProblemHttpResult>> BoostPost(
        BoostRequest request, ShopScope scope, PlazaDb db, RemoteActors actors, ActorUrls urls, TimeProvider clock,
        FederationSignal signal, CancellationToken ct)
    {
        var objectId = request.ObjectId?.Trim() ?? "";
        if (!Uri.TryCreate(objectId, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || objectId.Length > 2048)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["object"] = ["The post's id must be an absolute http(s) URL."] });
        }
        var shop = scope.Current;
        var existing = await db.Boosts.FirstOrDefaultAsync(b => b.ObjectId == objectId && b.UndoneAt == null, ct);
        if (existing is not null)
        {
            return TypedResults.Accepted((string?)null, Response(existing));
        }
        string? author;
        try
        {
            using var document = await actors.GetJsonAsync(objectId, ct);
            author = document is null ? null : PublicPostAuthor(document.RootElement, objectId);
        }
        catch (RemoteFetchRefusedException e)
        {
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            author = null;
        }
        if (author is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["object"] = ["No public post by a reachable actor answers at that URL."] });
        }
        RemoteActor? authorActor = null;
        if (author != urls.Actor(shop.Slug))
        {
            try
            {
                authorActor = await actors.GetAsync(author, ct);
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or TaskCanceledException)
            {
                authorActor = null;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var boost = await db.Boosts.FirstOrDefaultAsync(b => b.ObjectId == objectId, ct);
        if (boost is null)
        {
            boost = new Boost { ShopId = shop.Id, ObjectId = objectId, AuthorId = author, AnnounceId = "" };
            db.Boosts.Add(boost);
        }
        // A fresh id per boost: a boost taken back and given again is a new activity to peers.
        boost.AnnounceId = urls.Activity(shop.Slug, "announce", Guid.NewGuid());
        boost.BoostedAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        boost.UndoneAt = null;
        var announce = Announce(urls, shop, boost);
        Outbox.Enqueue(db, shop, boost.AnnounceId, announce, Audience(await db.Followers.AsNoTracking().ToListAsync(ct), authorActor), now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same post boosted twice at once: the other request's boost stands.
            db.ChangeTracker.Clear();
            var winner = await db.Boosts.AsNoTracking().FirstOrDefaultAsync(b => b.ObjectId == objectId && b.UndoneAt == null, ct);
            return winner is null ? throw new InvalidOperationException("The boost could not be saved.") : TypedResults.Accepted((string?)null, Response(winner));
        }
        signal.DeliveriesQueued();
        return TypedResults.Accepted((string?)null, Response(boost));
    }

    private static async Task<Ok<List<BoostResponse>>> ListBoosts(PlazaDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Boosts.AsNoTracking().Where(b => b.UndoneAt == null).OrderByDescending(b => b.BoostedAt).ThenByDescending(b => b.Id)
            .Take(100).ToListAsync(ct)).Select(Response).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> UndoBoost(
        long id, ShopScope scope, PlazaDb db, ActorUrls urls, TimeProvider clock, FederationSignal signal, CancellationToken ct)
    {
        var boost = await db.Boosts.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (boost is null)
        {
            return Problems.NotFound("There is no such boost.");
        }
        if (boost.UndoneAt is not null)
        {
            return TypedResults.NoContent();
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        boost.UndoneAt = now;
        var author = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == boost.AuthorId, ct);
        var undo = new JsonObject
        {
            ["@context"] = JsonNode.Parse(ActivityStreamsJson.Context.GetRawText()),
            ["id"] = boost.AnnounceId + "#undo",
            ["type"] = "Undo",
            ["actor"] = urls.Actor(shop.Slug),
            ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
            ["cc"] = new JsonArray(urls.Followers(shop.Slug), boost.AuthorId),
            ["object"] = Announce(urls, shop, boost, withContext: false),
        };
        Outbox.Enqueue(db, shop, boost.AnnounceId + "#undo", undo, Audience(await db.Followers.AsNoTracking().ToListAsync(ct), author), now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return TypedResults.NoContent();
    }

    private static JsonObject Announce(ActorUrls urls, Shop shop, Boost boost, bool withContext = true)
    {
        var announce = new JsonObject
        {
            ["id"] = boost.AnnounceId,
            ["type"] = "Announce",
            ["actor"] = urls.Actor(shop.Slug),
            ["published"] = boost.BoostedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
            ["cc"] = new JsonArray(urls.Followers(shop.Slug), boost.AuthorId),
            ["object"] = boost.ObjectId,
        };
        if (withContext)
        {
            announce.Insert(0, "@context", JsonNode.Parse(ActivityStreamsJson.Context.GetRawText()));
        }
        return announce;
    }

    /// <summary>Followers' servers and the author's, each once (shared inboxes where known).</summary>
    private static IEnumerable<string> Audience(IEnumerable<Follower> followers, RemoteActor? author) =>
        Outbox.InboxesOf(followers).Concat(author is null ? [] : [author.SharedInbox ?? author.Inbox]);

    /// <summary>The author of a public post that carries the id it was fetched by; null for anything else.</summary>
    public static string? PublicPostAuthor(JsonElement document, string objectId)
    {
        if (ActivityStreamsTypes.Deserialize(document, ActivityStreamsJson.Options) is not { } post || post.Id != objectId || post is Activity or Actor)
        {
            return null;
        }
        var audience = (post.To?.Select(a => a.Id) ?? []).Concat(post.Cc?.Select(a => a.Id) ?? []);
        var author = post.AttributedTo?.First?.Id;
        // The author must live where the post does, or anyone could attribute a post to any shop.
        return audience.Any(ActivityStreamsJson.IsPublic) && author is not null && FederationHttp.HostOf(author) == FederationHttp.HostOf(objectId)
            ? author
            : null;
    }

    private static BoostResponse Response(Boost b) => new(b.Id, b.ObjectId, b.AuthorId, b.AnnounceId, new DateTimeOffset(b.BoostedAt));
}
