using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;
using Plaza.Features.Nearby;

namespace Plaza.Features.Hubs;

/// <summary>
/// What the inbox worker does for hubs: a Follow of a hub makes a member (auto-accepted, followed
/// back), an Undo (or the member's Delete) removes it, the member's Accept of the follow-back is recorded, a member's public
/// Create is re-shared to every member as an Announce; and on any node, a post re-shared by a hub
/// a shop follows teaches the nearby directory its author (Source = Shared).
/// </summary>
public static partial class HubActivities
{
    /// <summary>Acts on <paramref name="row"/> when it concerns a hub; true when nothing else should.</summary>
    public static async Task<bool> HandleAsync(IServiceProvider services, PlazaDb db, InboxActivity row, Activity activity, CancellationToken ct)
    {
        var urls = services.GetRequiredService<ActorUrls>();
        var target = activity.Object?.First;
        switch (row.Type)
        {
            case "Follow" when urls.HubNameOf(target?.Id) is { } name:
                await JoinAsync(services, db, urls, name, row, ct);
                return true;
            case "Undo" when target?.Embedded is Activity inner && inner.IsOfType("Follow") && urls.HubNameOf(inner.Object?.First?.Id) is { } name:
                await db.HubMembers.Where(m => m.ActorId == row.ActorId && db.Hubs.Any(h => h.Id == m.HubId && h.Name == name)).ExecuteDeleteAsync(ct);
                return true;
            case "Undo" when target?.Id is { } undone:
                // An Undo naming the Follow only by its id: a hub membership when it matches one, else a shop's follow.
                return await db.HubMembers.Where(m => m.ActorId == row.ActorId && m.FollowActivityId == undone).ExecuteDeleteAsync(ct) > 0;
            case "Delete" when target?.Id == row.ActorId:
                // The account is gone: so are its memberships (its shop follows are the inbox worker's).
                await db.HubMembers.Where(m => m.ActorId == row.ActorId).ExecuteDeleteAsync(ct);
                return false;
            case "Accept" when target?.Id is { } followId && followId.StartsWith(urls.Origin + "/hubs/", StringComparison.Ordinal):
                await db.HubMembers.Where(m => m.FollowBackId == followId && m.ActorId == row.ActorId)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.FollowBackAccepted, true), ct);
                return true;
            case "Create":
                await ReshareAsync(services, db, urls, row, activity, ct);
                return false;
            case "Announce":
                await LearnAuthorAsync(services, db, urls, row, activity, ct);
                return false;
            default:
                return false;
        }
    }

    private static async Task JoinAsync(IServiceProvider services, PlazaDb db, ActorUrls urls, string name, InboxActivity row, CancellationToken ct)
    {
        var hub = await db.Hubs.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);
        if (hub is null)
        {
            return;
        }
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Id == hub.ShopId, ct);
        var remote = await services.GetRequiredService<RemoteActors>().GetAsync(row.ActorId, ct)
            ?? throw new InvalidOperationException($"The member {row.ActorId} cannot be fetched.");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var member = await db.HubMembers.FirstOrDefaultAsync(m => m.HubId == hub.Id && m.ActorId == row.ActorId, ct);
        var joined = member is null;
        if (member is null)
        {
            member = new HubMember
            {
                HubId = hub.Id,
                ActorId = row.ActorId,
                Inbox = remote.Inbox,
                FollowBackId = urls.HubActivity(hub.Name, "follow", Guid.NewGuid()),
                // A hub that approves its members holds the request for its owner (HubOwner.ApproveAsync).
                Pending = hub.ApprovesMembers,
                JoinedAt = now,
            };
            db.HubMembers.Add(member);
        }
        member.Inbox = remote.Inbox;
        member.SharedInbox = remote.SharedInbox;
        member.FollowActivityId = row.ActivityId;
        if (!member.Pending)
        {
            HubOwner.Admit(db, urls, hub, shop, member, LinkOrObject.AsReceived(row.Payload), followBack: joined, now);
        }
        await db.SaveChangesAsync(ct);
        services.GetRequiredService<FederationSignal>().DeliveriesQueued();
        if (urls.ShopSlugOf(row.ActorId) is null)
        {
            await LearnAsync(services, row.ActorId, ct);
        }
    }

    private static async Task ReshareAsync(IServiceProvider services, PlazaDb db, ActorUrls urls, InboxActivity row, Activity activity, CancellationToken ct)
    {
        var note = activity.Object?.First;
        if (note?.Id is not { } objectId || !IsPublic(activity) || FederationHttp.HostOf(objectId) != FederationHttp.HostOf(row.ActorId))
        {
            // Only public posts are re-shared, and only a member's own (the id on the member's host).
            return;
        }
        var hubIds = await db.HubMembers.AsNoTracking().Where(m => m.ActorId == row.ActorId && m.FollowBackAccepted && !m.Pending)
            .Select(m => m.HubId).ToListAsync(ct);
        if (hubIds.Count == 0)
        {
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var hub in await db.Hubs.AsNoTracking().Where(h => hubIds.Contains(h.Id)).ToListAsync(ct))
        {
            // Each hub re-shares as its shop: the work runs in that shop's scope, as the shop's own requests do.
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var shopDb = scope.ServiceProvider.GetRequiredService<PlazaDb>();
            var shop = await shopDb.Shops.AsNoTracking().SingleAsync(s => s.Id == hub.ShopId, ct);
            scope.ServiceProvider.GetRequiredService<ShopScope>().Enter(shop);
            var announce = HubDocuments.Announce(urls, hub, row.Payload, objectId);
            var announceId = announce.Id!;
            if (await shopDb.Deliveries.AnyAsync(d => d.ActivityId == announceId, ct))
            {
                continue; // re-shared already (the same post reached this node twice)
            }
            var members = await shopDb.HubMembers.AsNoTracking().Where(m => m.HubId == hub.Id && !m.Pending).ToListAsync(ct);
            Outbox.Enqueue(shopDb, shop, announceId, announce, members.Select(m => m.SharedInbox ?? m.Inbox), now, hub.Id);
            await shopDb.SaveChangesAsync(ct);
        }
        services.GetRequiredService<FederationSignal>().DeliveriesQueued();
    }

    private static async Task LearnAuthorAsync(IServiceProvider services, PlazaDb db, ActorUrls urls, InboxActivity row, Activity activity, CancellationToken ct)
    {
        // Only what a hub (or shop) this node's shops follow re-shares, so strangers can't fill the directory.
        if (!await db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(f => f.ActorId == row.ActorId && f.Accepted, ct))
        {
            return;
        }
        var shared = activity.Object?.First?.Embedded;
        var author = shared is Activity inner ? inner.Actor?.First?.Id : shared?.AttributedTo?.First?.Id;
        if (author is null || urls.ShopSlugOf(author) is not null)
        {
            return;
        }
        await LearnAsync(services, author, ct);
    }

    private static async Task LearnAsync(IServiceProvider services, string actorId, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<ShopDirectory>().LearnAsync(actorId, KnownShopSource.Shared, ct);
        }
        catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or System.Text.Json.JsonException or TaskCanceledException)
        {
            // The directory is a convenience: a shop that can't be fetched now is learned the next time.
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Plaza.Hubs");
            LogLearnFailed(log, actorId, e.Message);
        }
    }

    private static bool IsPublic(Activity activity) =>
        (activity.To?.Select(t => t.Id) ?? []).Concat(activity.Cc?.Select(c => c.Id) ?? []).Any(ActivityStreamsJson.IsPublic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not learn {ActorId} for the directory: {Reason}")]
    private static partial void LogLearnFailed(ILogger logger, string actorId, string reason);
}
