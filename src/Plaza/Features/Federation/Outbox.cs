using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Catalog;
using Plaza.Features.Follows;

namespace Plaza.Features.Federation;

/// <summary>
/// Queues an activity for delivery: one <see cref="Delivery"/> row per distinct target inbox,
/// followers on one server collapsed onto its shared inbox. The rows are added to the caller's
/// context, so they commit (or not) with the change that caused them.
/// </summary>
public static class Outbox
{
    public static int Enqueue(PlazaDb db, Shop shop, string activityId, Activity activity, IEnumerable<string> inboxes, DateTime now, int? hubId = null) =>
        EnqueueFor(db, shop.Id, activityId, activity, inboxes, now, hubId);

    /// <summary>Queues an activity the node's instance actor sends and signs (a Flag), belonging to no shop.</summary>
    public static int EnqueueForNode(PlazaDb db, string activityId, Activity activity, IEnumerable<string> inboxes, DateTime now) =>
        EnqueueFor(db, null, activityId, activity, inboxes, now, hubId: null);

    private static int EnqueueFor(PlazaDb db, int? shopId, string activityId, Activity activity, IEnumerable<string> inboxes, DateTime now, int? hubId)
    {
        var payload = ActivityStreamsJson.Serialize(activity);
        var count = 0;
        foreach (var inbox in inboxes.Distinct(StringComparer.Ordinal))
        {
            if (FederationHttp.HostOf(inbox) is not { } host)
            {
                continue;
            }
            db.Deliveries.Add(new Delivery
            {
                ShopId = shopId,
                ActivityId = activityId,
                Inbox = inbox,
                Host = host,
                Payload = payload,
                CreatedAt = now,
                NextAttemptAt = now,
                HubId = hubId,
            });
            count++;
        }
        return count;
    }

    /// <summary>Each follower's shared inbox when it has one, else its own: one delivery per server, not per follower.</summary>
    public static IEnumerable<string> InboxesOf(IEnumerable<Follower> followers) =>
        followers.Select(f => f.SharedInbox ?? f.Inbox);
}
