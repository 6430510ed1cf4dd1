using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;
using Plaza.Features.Ordering;

namespace Plaza.Features.Hubs;

public sealed record CreateHubRequest(
    [property: Description("The hub's handle: 2–40 lower-case letters, digits or dashes; its actor is /hubs/{name}.")] string? Name,
    [property: Description("What members and followers see, e.g. \"Oranienstraße food court\".")] string? DisplayName,
    string? Summary);

public sealed record HubResponse(string Name, string Actor, string DisplayName, int Members);

/// <summary>
/// Neighbourhood hubs: the owner API that lets a shop run one, and the hub's ActivityPub surface
/// (a <c>Group</c> actor with inbox, outbox and followers at <c>/hubs/{name}</c>).
/// </summary>
public static class HubsApi
{
    public static WebApplication MapHubsApi(this WebApplication app)
    {
        var owner = app.MapGroup("/api/v1/shops/{shop}/hubs").WithMetadata(new ShopScopedAttribute()).WithTags("Hubs");
        owner.MapPost("", CreateHub).RequireOwnerToken()
            .WithName("CreateHub").WithSummary("The shop starts a neighbourhood hub: a Group actor other shops join by following it; it re-shares their posts (FEP-1b12).");
        owner.MapGet("", ListHubs).RequireOwnerToken()
            .WithName("ListHubs").WithSummary("The hubs this shop runs, with their member counts.");

        var hub = app.MapGroup("/hubs/{name}").WithTags("Federation");
        hub.MapGet("", GetGroup).WithName("HubActor").WithSummary("The hub as an ActivityPub Group actor.");
        hub.MapInbox("/inbox").WithName("HubInbox").WithSummary("The hub's inbox: signed activities, 202 when stored.");
        hub.MapGet("/followers", GetFollowers).WithName("HubFollowers").WithSummary("The hub's members, as an OrderedCollection.");
        hub.MapGet("/outbox", GetOutbox).WithName("HubOutbox").WithSummary("The hub's re-shares (Announce), newest first (the latest 50).");
        return app;
    }

    private static async Task<Results<Created<HubResponse>, ProblemHttpResult>> CreateHub(
        CreateHubRequest request, HubOwner owner, ActorUrls urls, CancellationToken ct)
    {
        var created = await owner.CreateAsync(request.Name, request.DisplayName, request.Summary, ct);
        return created switch
        {
            { Hub: { } hub } => TypedResults.Created(urls.Hub(hub.Name), new HubResponse(hub.Name, urls.Hub(hub.Name), hub.DisplayName, 0)),
            { Conflict: { } conflict } => Problems.Conflict("hub-exists", conflict),
            _ => Problems.Invalid(created.Errors),
        };
    }

    private static async Task<Ok<List<HubResponse>>> ListHubs(ShopScope scope, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var shopId = scope.Current.Id;
        var hubs = await db.Hubs.AsNoTracking().Where(h => h.ShopId == shopId).OrderBy(h => h.Name)
            .Select(h => new { h.Name, h.DisplayName, Members = db.HubMembers.Count(m => m.HubId == h.Id && !m.Pending) }).ToListAsync(ct);
        return TypedResults.Ok(hubs.Select(h => new HubResponse(h.Name, urls.Hub(h.Name), h.DisplayName, h.Members)).ToList());
    }

    private static async Task<IResult> GetGroup(string name, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var hub = await db.Hubs.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);
        return hub is null ? Problems.NotFound(Text.Say("There is no hub called {0} on this node.", name)) : Documents.Serve(HubDocuments.Group(urls, hub));
    }

    private static async Task<IResult> GetFollowers(string name, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var hub = await db.Hubs.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);
        if (hub is null)
        {
            return Problems.NotFound(Text.Say("There is no hub called {0} on this node.", name));
        }
        // A street's worth of shops: one page holds them all.
        var members = await db.HubMembers.AsNoTracking().Where(m => m.HubId == hub.Id && !m.Pending).OrderBy(m => m.Id).Select(m => m.ActorId).Take(1000).ToListAsync(ct);
        var collection = Documents.OrderedCollection(urls.HubFollowers(name), members.Count, null);
        collection.OrderedItems = new OneOrMany<LinkOrObject>(members.Select(m => new LinkOrObject(m)));
        return Documents.Serve(collection);
    }

    private static async Task<IResult> GetOutbox(string name, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var hub = await db.Hubs.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);
        if (hub is null)
        {
            return Problems.NotFound(Text.Say("There is no hub called {0} on this node.", name));
        }
        // The hub keeps no timeline of its own: its re-shares are the Announces it queued, one row per
        // receiving server, so the first row of each stands for the activity.
        var prefix = urls.Hub(name) + "/announces/";
        var announces = db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(d => d.HubId == hub.Id && d.ActivityId.StartsWith(prefix))
            .GroupBy(d => d.ActivityId).Select(g => g.Min(d => d.Id));
        var total = await announces.CountAsync(ct);
        var latest = await announces.OrderByDescending(id => id).Take(50).ToListAsync(ct);
        var payloads = await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .Where(d => latest.Contains(d.Id)).OrderByDescending(d => d.Id).Select(d => d.Payload).ToListAsync(ct);
        var collection = Documents.OrderedCollection(urls.HubOutbox(name), total, null);
        // The Announces as they were sent, each without its own @context.
        collection.OrderedItems = new OneOrMany<LinkOrObject>(payloads.Select(p => LinkOrObject.AsReceived(p, withoutContext: true)));
        return Documents.Serve(collection);
    }
}
