using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>
/// What the shop in scope does with the hubs it runs: start one, choose whether join requests wait
/// for approval, approve a request, remove a member. The token API, the console and the inbox worker
/// (<see cref="HubActivities"/>) share it, so a member is admitted the same way whoever lets it in.
/// </summary>
public sealed partial class HubOwner(ShopScope scope, PlazaDb db, ActorUrls urls, TimeProvider clock, FederationSignal signal)
{
    public sealed record Created(Hub? Hub, Dictionary<string, string[]> Errors, string? Conflict);

    public sealed record MemberRow(long Id, string ActorId, bool Pending, bool FollowBackAccepted, DateTime JoinedAt);

    public sealed record HubRow(Hub Hub, List<MemberRow> Members);

    public async Task<Created> CreateAsync(string? name, string? displayName, string? summary, CancellationToken ct)
    {
        name = name?.Trim() ?? "";
        displayName = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim();
        var errors = new Dictionary<string, string[]>();
        if (!HubName().IsMatch(name))
        {
            errors["name"] = [Text.Say("2–40 lower-case letters, digits or dashes.")];
        }
        if (displayName.Length > 120)
        {
            errors["displayName"] = [Text.Say("At most 120 characters.")];
        }
        if ((summary?.Length ?? 0) > 2000)
        {
            errors["summary"] = [Text.Say("At most 2000 characters.")];
        }
        if (errors.Count > 0)
        {
            return new(null, errors, null);
        }
        var conflict = Text.Say("This node already has a hub called {0}.", name);
        if (await db.Hubs.AnyAsync(h => h.Name == name, ct))
        {
            return new(null, [], conflict);
        }
        var keys = RsaKeyPair.Generate();
        var hub = new Hub
        {
            ShopId = scope.Current.Id,
            Name = name,
            DisplayName = displayName,
            Summary = summary?.Trim() ?? "",
            PublicKeyPem = keys.PublicKeyPem,
            PrivateKeyPem = keys.PrivateKeyPem,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Hubs.Add(hub);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new(null, [], conflict);
        }
        return new(hub, [], null);
    }

    /// <summary>The hubs the shop runs, each with its members and join requests (oldest first).</summary>
    public async Task<List<HubRow>> ListAsync(CancellationToken ct)
    {
        var shopId = scope.Current.Id;
        var hubs = await db.Hubs.AsNoTracking().Where(h => h.ShopId == shopId).OrderBy(h => h.Name).ToListAsync(ct);
        var ids = hubs.Select(h => h.Id).ToList();
        var members = await db.HubMembers.AsNoTracking().Where(m => ids.Contains(m.HubId)).OrderBy(m => m.Id)
            .Select(m => new { m.HubId, Row = new MemberRow(m.Id, m.ActorId, m.Pending, m.FollowBackAccepted, m.JoinedAt) }).ToListAsync(ct);
        return [.. hubs.Select(h => new HubRow(h, [.. members.Where(m => m.HubId == h.Id).Select(m => m.Row)]))];
    }

    /// <summary>Whether join requests wait for the owner; false when the shop runs no such hub.</summary>
    public async Task<bool> SetApprovalAsync(string name, bool approvesMembers, CancellationToken ct)
    {
        var shopId = scope.Current.Id;
        return await db.Hubs.Where(h => h.ShopId == shopId && h.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ApprovesMembers, approvesMembers), ct) > 0;
    }

    /// <summary>Lets a waiting member in: Accept of its Follow, and the hub's follow back. False when the shop has no such request.</summary>
    public async Task<bool> ApproveAsync(long memberId, CancellationToken ct)
    {
        var (hub, member) = await OwnMemberAsync(memberId, ct);
        if (hub is null || member is null || !member.Pending)
        {
            return false;
        }
        member.Pending = false;
        var follow = await db.InboxActivities.AsNoTracking().Where(a => a.ActivityId == member.FollowActivityId && a.ActorId == member.ActorId)
            .Select(a => a.Payload).FirstOrDefaultAsync(ct);
        Admit(db, urls, hub, scope.Current, member, follow is null ? new LinkOrObject(HubDocuments.FollowOf(urls, hub, member.ActorId, member.FollowActivityId)) : LinkOrObject.AsReceived(follow),
            followBack: true, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

    /// <summary>
    /// Ends a membership or refuses a request: a Reject of the member's Follow (its server drops the
    /// follow), and an Undo of the hub's follow back when there was one. False when the shop has no such member.
    /// </summary>
    public async Task<bool> RemoveAsync(long memberId, CancellationToken ct)
    {
        var (hub, member) = await OwnMemberAsync(memberId, ct);
        if (hub is null || member is null)
        {
            return false;
        }
        var shop = scope.Current;
        var now = clock.GetUtcNow().UtcDateTime;
        var reject = HubDocuments.Reject(urls, hub, new LinkOrObject(HubDocuments.FollowOf(urls, hub, member.ActorId, member.FollowActivityId)), member.ActorId);
        Outbox.Enqueue(db, shop, reject.Id!, reject, [member.Inbox], now, hub.Id);
        if (!member.Pending)
        {
            var undo = HubDocuments.UndoFollow(urls, hub, member.FollowBackId, member.ActorId);
            Outbox.Enqueue(db, shop, undo.Id!, undo, [member.Inbox], now, hub.Id);
        }
        db.HubMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return true;
    }

    /// <summary>
    /// Queues the hub's Accept of <paramref name="follow"/> and, for a member just let in, the hub's
    /// follow back: a shop delivers its posts to its followers, so this is how the hub receives what it re-shares.
    /// </summary>
    public static void Admit(PlazaDb db, ActorUrls urls, Hub hub, Shop shop, HubMember member, LinkOrObject follow, bool followBack, DateTime now)
    {
        if (followBack)
        {
            Outbox.Enqueue(db, shop, member.FollowBackId, HubDocuments.Follow(urls, hub, member.FollowBackId, member.ActorId), [member.Inbox], now, hub.Id);
        }
        var accept = HubDocuments.Accept(urls, hub, follow, member.ActorId);
        Outbox.Enqueue(db, shop, accept.Id!, accept, [member.Inbox], now, hub.Id);
    }

    // Hubs carry no shop query filter (their actor pages are public), so the owner's hubs are narrowed here.
    private async Task<(Hub? Hub, HubMember? Member)> OwnMemberAsync(long memberId, CancellationToken ct)
    {
        var shopId = scope.Current.Id;
        var member = await db.HubMembers.FirstOrDefaultAsync(m => m.Id == memberId && db.Hubs.Any(h => h.Id == m.HubId && h.ShopId == shopId), ct);
        var hub = member is null ? null : await db.Hubs.AsNoTracking().SingleAsync(h => h.Id == member.HubId, ct);
        return (hub, member);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex HubName();
}
