using System.Reflection;
using System.Text.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Discovery;
using Plaza.Features.Promotions;

namespace Plaza.Features.Federation;

/// <summary>
/// The node's ActivityPub surface: WebFinger, NodeInfo, a content-negotiated actor per shop with
/// its collections and notes, the instance actor, and the inboxes.
/// </summary>
public static class FederationApi
{
    private const int PageSize = 50;

    public static WebApplication MapActivityPub(this WebApplication app)
    {
        app.MapGet(WebFinger.Path, GetWebFinger).WithName("WebFinger").WithTags("Federation")
            .WithSummary("Finds a shop's actor from acct:{shop}@{host}.");
        app.MapGet(NodeInfoLinks.Path, (ActorUrls urls) => Results.Json(NodeInfoLinks.For(urls.Origin + "/nodeinfo/2.1"), WebFinger.JsonOptions))
            .WithName("NodeInfoLinks").WithTags("Federation").WithSummary("Where the NodeInfo document is.");
        app.MapGet("/nodeinfo/2.1", GetNodeInfo).WithName("NodeInfo").WithTags("Federation")
            .WithSummary("NodeInfo 2.1: software, protocols, usage.");
        app.MapGet("/actor", GetInstanceActor).WithName("InstanceActor").WithTags("Federation")
            .WithSummary("The node's own actor; it signs fetches.");
        app.MapGet("/actor/outbox", GetInstanceOutbox).WithName("InstanceOutbox").WithTags("Federation")
            .WithSummary("The instance actor's outbox: an OrderedCollection, always empty.");
        app.MapInbox("/inbox").WithName("SharedInbox").WithTags("Federation")
            .WithSummary("The shared inbox: signed activities for any shop on this node. 202 when stored.");

        var actor = app.MapGroup("/actors/{shop}").WithMetadata(new ShopScopedAttribute()).WithTags("Federation");
        actor.MapGet("", GetActor).WithName("ShopActor")
            .WithSummary("The shop as an ActivityPub actor (application/activity+json); browsers are sent to the storefront.");
        actor.MapInbox("/inbox").WithName("ShopInbox").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The shop's inbox: signed activities, 202 when stored; 404 for a shop not on this node.");
        actor.MapGet("/followers", GetFollowers).WithName("ShopFollowers").WithSummary("Who follows the shop, as a paged OrderedCollection.");
        actor.MapGet("/following", GetFollowing).WithName("ShopFollowing").WithSummary("Whom the shop follows, as a paged OrderedCollection.");
        actor.MapGet("/outbox", GetOutbox).WithName("ShopOutbox").WithSummary("The shop's published activities, newest first.");
        actor.MapGet("/notes/{id:long}", GetNote).WithName("ShopNote").WithSummary("A promotion as a Note; browsers are sent to its page, /s/{shop}/posts/{id}.");
        actor.MapGet("/notes/{id:long}/activity", GetNoteActivity).WithName("ShopNoteActivity").WithSummary("The Create activity of a promotion.");
        return app;
    }

    private static bool WantsActivityStreams(HttpContext http)
    {
        http.Response.Headers.Vary = "Accept";
        return ActivityStreamsMediaTypes.AcceptsActivityStreams(http.Request.Headers.Accept.ToString());
    }

    private static async Task<IResult> GetWebFinger(HttpContext http, string? resource, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(resource))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["resource"] = ["Name an account, e.g. acct:demo@" + urls.Host + "."] });
        }
        string? slug;
        if (AcctUri.TryParse(resource, out var account))
        {
            slug = string.Equals(account.Host, urls.Host, StringComparison.OrdinalIgnoreCase) ? account.User : null;
        }
        else
        {
            slug = urls.ShopSlugOf(resource);
        }
        if (slug is null || !await db.Shops.AnyAsync(s => s.Slug == slug, ct))
        {
            return Problems.NotFound(Text.Say("No shop on this node answers to {0}.", resource));
        }
        http.Response.Headers.AccessControlAllowOrigin = "*";
        var descriptor = JsonResourceDescriptor.ForActor(new AcctUri(slug, urls.Host), urls.Actor(slug), urls.Storefront(slug));
        return Results.Text(JsonSerializer.Serialize(descriptor, WebFinger.JsonOptions), WebFinger.MediaType, Encoding.UTF8);
    }

    private static async Task<IResult> GetNodeInfo(PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var shops = await db.Shops.CountAsync(ct);
        var posts = await db.Promotions.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(p => p.DeletedAt == null, ct);
        var version = typeof(FederationApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        var document = new NodeInfoDocument
        {
            Software = new NodeInfoSoftware { Name = "plaza", Version = version },
            OpenRegistrations = false,
            Usage = new NodeInfoUsage { Users = new NodeInfoUsers { Total = shops, ActiveMonth = shops, ActiveHalfyear = shops }, LocalPosts = posts },
            // Where other nodes subscribe to this node's shop directory (subscribe-directory).
            Metadata = new Dictionary<string, JsonElement> { ["shopDirectory"] = JsonSerializer.SerializeToElement(urls.Directory) },
        };
        return Results.Text(document.ToJson(), NodeInfoDocument.MediaType, Encoding.UTF8);
    }

    private static async Task<IResult> GetInstanceActor(FederationKeys keys, Documents documents, CancellationToken ct) =>
        Documents.Serve(documents.InstanceActor((await keys.InstanceAsync(ct)).PublicKeyPem));

    // ActivityPub requires every actor to have an outbox. The node publishes nothing as itself: the only
    // activities it sends are Flags, each to the one server whose shop it reports, so the collection stays empty.
    private static IResult GetInstanceOutbox(ActorUrls urls)
    {
        var outbox = Documents.OrderedCollection(urls.InstanceOutbox, 0, null);
        outbox.OrderedItems = new OneOrMany<LinkOrObject>([]);
        return Documents.Serve(outbox);
    }

    private static async Task<IResult> GetActor(HttpContext http, ShopScope scope, PlazaDb db, FederationKeys keys, Documents documents, ActorUrls urls, CancellationToken ct)
    {
        var shop = scope.Current;
        if (!WantsActivityStreams(http))
        {
            return Results.Redirect(urls.Storefront(shop.Slug));
        }
        var key = await keys.ForShopAsync(shop.Id, ct);
        var manual = await db.FollowerPolicies.AsNoTracking().AnyAsync(p => p.ManuallyApprovesFollowers, ct);
        return Documents.Serve(documents.ShopActor(shop, key.PublicKeyPem, manual));
    }

    private static async Task<IResult> GetFollowers(int? page, ShopScope scope, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var id = urls.Followers(scope.Current.Slug);
        var query = db.Followers.AsNoTracking().OrderByDescending(f => f.Id).Select(f => f.ActorId);
        return await CollectionAsync(id, page, query, actorId => new LinkOrObject(actorId), ct);
    }

    private static async Task<IResult> GetFollowing(int? page, ShopScope scope, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var id = urls.Following(scope.Current.Slug);
        var query = db.Followings.AsNoTracking().Where(f => f.Accepted).OrderByDescending(f => f.Id).Select(f => f.ActorId);
        return await CollectionAsync(id, page, query, actorId => new LinkOrObject(actorId), ct);
    }

    private static async Task<IResult> GetOutbox(int? page, ShopScope scope, PlazaDb db, ActorUrls urls, Documents documents, CancellationToken ct)
    {
        var shop = scope.Current;
        var query = db.Promotions.AsNoTracking().Where(p => p.DeletedAt == null).OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id);
        return await CollectionAsync(urls.Outbox(shop.Slug), page, query, p => new LinkOrObject(documents.CreateNote(shop, p)), ct);
    }

    private static async Task<IResult> CollectionAsync<T>(string id, int? page, IQueryable<T> query, Func<T, LinkOrObject> item, CancellationToken ct)
    {
        if (page is null)
        {
            var total = await query.CountAsync(ct);
            return Documents.Serve(Documents.OrderedCollection(id, total, id + "?page=1"));
        }
        if (page < 1)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["page"] = [Text.Say("Pages start at 1.")] });
        }
        // A page far past the end is empty; its offset must not overflow into a negative one (PostgreSQL refuses that).
        var skip = (long)(page.Value - 1) * PageSize;
        var rows = skip > int.MaxValue ? [] : await query.Skip((int)skip).Take(PageSize + 1).ToListAsync(ct);
        var items = rows.Take(PageSize).Select(item);
        return Documents.Serve(Documents.OrderedCollectionPage(id, page.Value, items, rows.Count > PageSize));
    }

    private static async Task<IResult> GetNote(HttpContext http, long id, ShopScope scope, PlazaDb db, Documents documents, ActorUrls urls, CancellationToken ct)
    {
        var promotion = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null)
        {
            return Problems.NotFound(Text.Say("There is no such post."));
        }
        if (promotion.DeletedAt is not null)
        {
            return Problems.Make(StatusCodes.Status410Gone, "gone", Text.Say("The shop took this post down."));
        }
        return WantsActivityStreams(http)
            ? Documents.Serve(documents.Note(scope.Current, promotion))
            : Results.Redirect(urls.Origin + PromotionLinks.PagePath(scope.Current.Slug, promotion.Id));
    }

    private static async Task<IResult> GetNoteActivity(long id, ShopScope scope, PlazaDb db, Documents documents, CancellationToken ct)
    {
        var promotion = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return promotion is null ? Problems.NotFound(Text.Say("There is no such post."))
            : promotion.DeletedAt is not null ? Problems.Make(StatusCodes.Status410Gone, "gone", Text.Say("The shop took this post down."))
            : Documents.Serve(documents.CreateNote(scope.Current, promotion));
    }
}
