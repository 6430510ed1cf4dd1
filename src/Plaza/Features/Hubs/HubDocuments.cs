using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>The ActivityStreams documents a hub serves and sends (FEP-1b12).</summary>
public static class HubDocuments
{
    public static Actor Group(ActorUrls urls, Hub hub) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.Hub(hub.Name),
        Type = "Group",
        PreferredUsername = hub.Name,
        Name = hub.DisplayName,
        Summary = System.Net.WebUtility.HtmlEncode(hub.Summary),
        Url = new LinkOrObject(urls.Hub(hub.Name)),
        Inbox = urls.HubInbox(hub.Name),
        Outbox = urls.HubOutbox(hub.Name),
        Followers = urls.HubFollowers(hub.Name),
        Endpoints = new ActorEndpoints { SharedInbox = urls.SharedInbox },
        PublicKey = new ActorPublicKey { Id = urls.HubKeyId(hub.Name), Owner = urls.Hub(hub.Name), PublicKeyPem = hub.PublicKeyPem },
        ManuallyApprovesFollowers = hub.ApprovesMembers,
        Discoverable = true,
    };

    /// <summary>Lets a member in: Accept of its Follow, embedded as received (<see cref="LinkOrObject.AsReceived(string, bool)"/>) or rebuilt (<see cref="FollowOf"/>).</summary>
    public static Activity Accept(ActorUrls urls, Hub hub, LinkOrObject follow, string followerId) => Answer("Accept", "accept", urls, hub, follow, followerId);

    /// <summary>Refuses a join request, or ends a membership (Mastodon and Plaza drop the follow on a Reject of it).</summary>
    public static Activity Reject(ActorUrls urls, Hub hub, LinkOrObject follow, string followerId) => Answer("Reject", "reject", urls, hub, follow, followerId);

    private static Activity Answer(string type, string kind, ActorUrls urls, Hub hub, LinkOrObject follow, string followerId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.HubActivity(hub.Name, kind, Guid.NewGuid()),
        Type = type,
        Actor = new LinkOrObject(urls.Hub(hub.Name)),
        To = new LinkOrObject[] { followerId },
        Object = follow,
    };

    /// <summary>A member's Follow of the hub, rebuilt from its id (the inbox row may be gone by the time the owner answers).</summary>
    public static Activity FollowOf(ActorUrls urls, Hub hub, string memberId, string? followActivityId) => new()
    {
        Id = followActivityId,
        Type = "Follow",
        Actor = new LinkOrObject(memberId),
        Object = new LinkOrObject(urls.Hub(hub.Name)),
    };

    /// <summary>Takes back the hub's follow of a member that was removed.</summary>
    public static Activity UndoFollow(ActorUrls urls, Hub hub, string followId, string memberId)
    {
        var follow = Follow(urls, hub, followId, memberId);
        follow.Context = null;
        return new Activity
        {
            Context = ActivityStreamsJson.Context,
            Id = followId + "#undo",
            Type = "Undo",
            Actor = new LinkOrObject(urls.Hub(hub.Name)),
            To = new LinkOrObject[] { memberId },
            Object = new LinkOrObject(follow),
        };
    }

    public static Activity Follow(ActorUrls urls, Hub hub, string followId, string memberId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = followId,
        Type = "Follow",
        Actor = new LinkOrObject(urls.Hub(hub.Name)),
        To = new LinkOrObject[] { memberId },
        Object = new LinkOrObject(memberId),
    };

    /// <summary>
    /// Re-shares a member's activity as received (FEP-1b12 announces the activity, not only its
    /// object), marked with the hub as its <c>audience</c>.
    /// </summary>
    /// <param name="urls">This node's URLs.</param>
    /// <param name="hub">The hub re-sharing.</param>
    /// <param name="activity">The member's activity as it arrived (the stored payload); embedded unchanged but for its <c>@context</c>.</param>
    /// <param name="objectId">The id of the activity's object, which names the re-share.</param>
    public static Activity Announce(ActorUrls urls, Hub hub, string activity, string objectId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.HubAnnounce(hub.Name, objectId),
        Type = "Announce",
        Actor = new LinkOrObject(urls.Hub(hub.Name)),
        Audience = new LinkOrObject(urls.Hub(hub.Name)),
        To = new LinkOrObject[] { urls.HubFollowers(hub.Name) },
        Cc = new LinkOrObject[] { ActivityStreamsJson.PublicAudience },
        Object = LinkOrObject.AsReceived(activity, withoutContext: true),
    };
}
