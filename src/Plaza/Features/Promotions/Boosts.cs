using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Features.Moderation;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Promotions;

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

/// <summary>
/// Shop links for the shop in scope: boost (<c>Announce</c>) another shop's public post to this shop's
/// followers and its author, take it back (<c>Undo</c>), and read what followed shops posted lately
/// (the <c>Create</c>s the inbox stored). The token API and the console both go through here.
/// </summary>
public sealed class Boosts(ShopScope scope, PlazaDb db, RemoteActors actors, ActorUrls urls, TimeProvider clock, FederationSignal signal)
{
    /// <summary>The boost (new or already live); else an <see cref="Error"/> about the post, or a <see cref="Refusal"/> (blocked).</summary>
    public sealed record Boosted(Boost? Boost, string? Error, string? Refusal);

    /// <summary>A post a followed account published, as the inbox stored it; text is plain (see <see cref="PlainText"/>).</summary>
    public sealed record FollowedPost(string ObjectId, string AuthorId, string Text, string? Url, DateTime ReceivedAt, long? BoostId);

    public async Task<Boosted> BoostAsync(string? objectId, CancellationToken ct)
    {
        objectId = objectId?.Trim() ?? "";
        if (!Uri.TryCreate(objectId, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || objectId.Length > 2048)
        {
            return new(null, Text.Say("The post's id must be an absolute http(s) URL."), null);
        }
        var shop = scope.Current;
        var existing = await db.Boosts.FirstOrDefaultAsync(b => b.ObjectId == objectId && b.UndoneAt == null, ct);
        if (existing is not null)
        {
            return new(existing, null, null);
        }
        string? author;
        try
        {
            using var document = await actors.GetJsonAsync(objectId, ct);
            author = document is null ? null : PublicPostAuthor(document.RootElement, objectId);
        }
        catch (RemoteFetchRefusedException e)
        {
            return new(null, null, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            author = null;
        }
        if (author is null)
        {
            return new(null, Text.Say("No public post by a reachable actor answers at that URL."), null);
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
            return winner is null ? throw new InvalidOperationException("The boost could not be saved.") : new(winner, null, null);
        }
        signal.DeliveriesQueued();
        return new(boost, null, null);
    }

    /// <summary>The shop's live boosts, newest first.</summary>
    public Task<List<Boost>> ListAsync(CancellationToken ct) =>
        db.Boosts.AsNoTracking().Where(b => b.UndoneAt == null).OrderByDescending(b => b.BoostedAt).ThenByDescending(b => b.Id).Take(100).ToListAsync(ct);

    /// <summary>Takes a boost back with an Undo to the same audience; false when the shop has no such boost.</summary>
    public async Task<bool> UndoAsync(long id, CancellationToken ct)
    {
        var boost = await db.Boosts.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (boost is null)
        {
            return false;
        }
        if (boost.UndoneAt is not null)
        {
            return true;
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        boost.UndoneAt = now;
        var author = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == boost.AuthorId, ct);
        var undo = new Activity
        {
            Context = ActivityStreamsJson.Context,
            Id = boost.AnnounceId + "#undo",
            Type = "Undo",
            Actor = new LinkOrObject(urls.Actor(shop.Slug)),
            To = new LinkOrObject[] { ActivityStreamsJson.PublicAudience },
            Cc = new LinkOrObject[] { urls.Followers(shop.Slug), boost.AuthorId },
            Object = new LinkOrObject(Announce(urls, shop, boost, withContext: false)),
        };
        Outbox.Enqueue(db, shop, boost.AnnounceId + "#undo", undo, Audience(await db.Followers.AsNoTracking().ToListAsync(ct), author), now);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

    /// <summary>
    /// The latest public posts of accounts the shop follows, as the inbox stored their <c>Create</c>s (the
    /// inbox keeps them; nothing is fetched here), each with the shop's live boost of it, if any.
    /// </summary>
    public async Task<List<FollowedPost>> FollowedPostsAsync(int take, CancellationToken ct)
    {
        var followed = await db.Followings.AsNoTracking().Where(f => f.Accepted).Select(f => f.ActorId).ToListAsync(ct);
        if (followed.Count == 0)
        {
            return [];
        }
        var rows = await db.InboxActivities.AsNoTracking()
            .Where(a => a.Type == "Create" && followed.Contains(a.ActorId))
            .OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id).Take(take * 2)
            .Select(a => new { a.ActorId, a.Payload, a.ReceivedAt }).ToListAsync(ct);
        var posts = new List<FollowedPost>();
        foreach (var row in rows)
        {
            if (Post(row.ActorId, row.Payload, row.ReceivedAt) is { } post && posts.TrueForAll(p => p.ObjectId != post.ObjectId))
            {
                posts.Add(post);
            }
        }
        posts = posts.Take(take).ToList();
        var ids = posts.Select(p => p.ObjectId).ToList();
        var boosted = await db.Boosts.AsNoTracking().Where(b => b.UndoneAt == null && ids.Contains(b.ObjectId)).ToDictionaryAsync(b => b.ObjectId, b => b.Id, ct);
        return [.. posts.Select(p => p with { BoostId = boosted.TryGetValue(p.ObjectId, out var id) ? id : null })];
    }

    /// <summary>A stored Create's public post by its sender, on the sender's host (what a boost accepts); null otherwise.</summary>
    private static FollowedPost? Post(string actorId, string payload, DateTime receivedAt)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("object", out var note) || note.ValueKind != JsonValueKind.Object
                || PublicPostAuthor(note, note.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "") is not { } author
                || author != actorId)
            {
                return null;
            }
            var text = note.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? PlainText.From(content.GetString()!) : "";
            var url = note.TryGetProperty("url", out var link) && link.ValueKind == JsonValueKind.String
                && Uri.TryCreate(link.GetString(), UriKind.Absolute, out var u) && u.Scheme is "https" or "http" ? link.GetString() : null;
            return new FollowedPost(note.GetProperty("id").GetString()!, author, text.Length > 500 ? text[..500] + "…" : text, url, receivedAt, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Activity Announce(ActorUrls urls, Shop shop, Boost boost, bool withContext = true) => new()
    {
        Context = withContext ? ActivityStreamsJson.Context : null,
        Id = boost.AnnounceId,
        Type = "Announce",
        Actor = new LinkOrObject(urls.Actor(shop.Slug)),
        // BoostedAt is kept in whole seconds (see BoostAsync) and is UTC whatever Kind the store gives back.
        Published = new DateTimeOffset(boost.BoostedAt.Ticks, TimeSpan.Zero),
        To = new LinkOrObject[] { ActivityStreamsJson.PublicAudience },
        Cc = new LinkOrObject[] { urls.Followers(shop.Slug), boost.AuthorId },
        Object = new LinkOrObject(boost.ObjectId),
    };

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
}
