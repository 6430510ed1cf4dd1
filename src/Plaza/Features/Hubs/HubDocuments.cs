using System.Text.Json.Nodes;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>The ActivityStreams documents a hub serves and sends (FEP-1b12).</summary>
public static class HubDocuments
{
    private static JsonNode Context() => JsonNode.Parse(ActivityStreamsJson.Context.GetRawText())!;

    public static JsonObject Group(ActorUrls urls, Hub hub) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.Hub(hub.Name),
        ["type"] = "Group",
        ["preferredUsername"] = hub.Name,
        ["name"] = hub.DisplayName,
        ["summary"] = System.Net.WebUtility.HtmlEncode(hub.Summary),
        ["url"] = urls.Hub(hub.Name),
        ["inbox"] = urls.HubInbox(hub.Name),
        ["outbox"] = urls.HubOutbox(hub.Name),
        ["followers"] = urls.HubFollowers(hub.Name),
        ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
        ["publicKey"] = new JsonObject { ["id"] = urls.HubKeyId(hub.Name), ["owner"] = urls.Hub(hub.Name), ["publicKeyPem"] = hub.PublicKeyPem },
        ["manuallyApprovesFollowers"] = hub.ApprovesMembers,
        ["discoverable"] = true,
    };

    public static JsonObject Accept(ActorUrls urls, Hub hub, JsonNode follow, string followerId) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.HubActivity(hub.Name, "accept", Guid.NewGuid()),
        ["type"] = "Accept",
        ["actor"] = urls.Hub(hub.Name),
        ["to"] = new JsonArray(followerId),
        ["object"] = follow,
    };

    /// <summary>Refuses a join request, or ends a membership (Mastodon and Plaza drop the follow on a Reject of it).</summary>
    public static JsonObject Reject(ActorUrls urls, Hub hub, JsonNode follow, string followerId) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.HubActivity(hub.Name, "reject", Guid.NewGuid()),
        ["type"] = "Reject",
        ["actor"] = urls.Hub(hub.Name),
        ["to"] = new JsonArray(followerId),
        ["object"] = follow,
    };

    /// <summary>A member's Follow of the hub, rebuilt from its id (the inbox row may be gone by the time the owner answers).</summary>
    public static JsonObject FollowOf(ActorUrls urls, Hub hub, string memberId, string? followActivityId) => new()
    {
        ["id"] = followActivityId,
        ["type"] = "Follow",
        ["actor"] = memberId,
        ["object"] = urls.Hub(hub.Name),
    };

    /// <summary>Takes back the hub's follow of a member that was removed.</summary>
    public static JsonObject UndoFollow(ActorUrls urls, Hub hub, string followId, string memberId)
    {
        var follow = Follow(urls, hub, followId, memberId);
        follow.Remove("@context");
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = followId + "#undo",
            ["type"] = "Undo",
            ["actor"] = urls.Hub(hub.Name),
            ["to"] = new JsonArray(memberId),
            ["object"] = follow,
        };
    }

    public static JsonObject Follow(ActorUrls urls, Hub hub, string followId, string memberId) => new()
    {
        ["@context"] = Context(),
        ["id"] = followId,
        ["type"] = "Follow",
        ["actor"] = urls.Hub(hub.Name),
        ["to"] = new JsonArray(memberId),
        ["object"] = memberId,
    };

    /// <summary>
    /// Re-shares a member's activity as received (FEP-1b12 announces the activity, not only its
    /// object), marked with the hub as its <c>audience</c>.
    /// </summary>
    public static JsonObject Announce(ActorUrls urls, Hub hub, JsonNode activity, string objectId)
    {
        var embedded = activity.DeepClone().AsObject();
        embedded.Remove("@context");
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = urls.HubAnnounce(hub.Name, objectId),
            ["type"] = "Announce",
            ["actor"] = urls.Hub(hub.Name),
            ["audience"] = urls.Hub(hub.Name),
            ["to"] = new JsonArray(urls.HubFollowers(hub.Name)),
            ["cc"] = new JsonArray(ActivityStreamsJson.PublicAudience),
            ["object"] = embedded,
        };
    }
}
