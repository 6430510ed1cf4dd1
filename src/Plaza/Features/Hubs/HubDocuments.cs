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
    public static Activity Accept(ActorUrls urls, Hub hub, LinkOrObject follow, string followerId) =>
        Documents.Answer("Accept", urls.HubActivity(hub.Name, "accept", Guid.NewGuid()), urls.Hub(hub.Name), follow, followerId);

    /// <summary>Refuses a join request, or ends a membership (Mastodon and Plaza drop the follow on a Reject of it).</summary>
    public static Activity Reject(ActorUrls urls, Hub hub, LinkOrObject follow, string followerId) =>
        Documents.Answer("Reject", urls.HubActivity(hub.Name, "reject", Guid.NewGuid()), urls.Hub(hub.Name), follow, followerId);

    /// <summary>A member's Follow of the hub, rebuilt from its id (the inbox row may be gone by the time the owner answers).</summary>
    public static Activity FollowOf(ActorUrls urls, Hub hub, string memberId, string? followActivityId) =>
        Documents.FollowOf(memberId, followActivityId, urls.Hub(hub.Name));

    /// <summary>Takes back the hub's follow of a member that was removed.</summary>
    public static Activity UndoFollow(ActorUrls urls, Hub hub, string followId, string memberId) =>
        Documents.UndoFollow(urls.Hub(hub.Name), followId, memberId);

    /// <summary>The hub follows a member back, so the member's posts reach it.</summary>
    public static Activity Follow(ActorUrls urls, Hub hub, string followId, string memberId) =>
        Documents.Follow(urls.Hub(hub.Name), followId, memberId);

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
