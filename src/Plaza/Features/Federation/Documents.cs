using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Plaza.Features.Catalog;
using Plaza.Features.Promotions;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Federation;

/// <summary>The ActivityStreams documents this node serves and sends, built in one place.</summary>
public sealed class Documents(ActorUrls urls)
{
    private static JsonNode Context() => JsonNode.Parse(ActivityStreamsJson.Context.GetRawText())!;

    /// <summary>A shop as an <c>Organization</c> actor, with what a follower wants to know: where, when, how to order.</summary>
    public JsonObject ShopActor(Shop shop, string publicKeyPem, bool manuallyApprovesFollowers = false)
    {
        var actor = urls.Actor(shop.Slug);
        var storefront = urls.Storefront(shop.Slug);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = actor,
            ["type"] = "Organization",
            ["preferredUsername"] = shop.Slug,
            ["name"] = shop.Name,
            ["summary"] = Paragraph(shop.Description),
            ["url"] = storefront,
            ["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/png", ["url"] = urls.Origin + "/icons/icon-512.png" },
            ["inbox"] = urls.Inbox(shop.Slug),
            ["outbox"] = urls.Outbox(shop.Slug),
            ["followers"] = urls.Followers(shop.Slug),
            ["following"] = urls.Following(shop.Slug),
            ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
            ["publicKey"] = new JsonObject { ["id"] = urls.KeyId(shop.Slug), ["owner"] = actor, ["publicKeyPem"] = publicKeyPem },
            ["manuallyApprovesFollowers"] = manuallyApprovesFollowers,
            ["discoverable"] = true,
            ["location"] = new JsonObject
            {
                ["type"] = "Place",
                ["name"] = shop.Address,
                ["latitude"] = shop.Latitude,
                ["longitude"] = shop.Longitude,
            },
            ["attachment"] = new JsonArray
            {
                new JsonObject { ["type"] = "PropertyValue", ["name"] = "Opening hours", ["value"] = WebUtility.HtmlEncode(OpeningHours(shop)) },
                new JsonObject { ["type"] = "PropertyValue", ["name"] = "Order online", ["value"] = $"<a href=\"{WebUtility.HtmlEncode(storefront)}\" rel=\"me nofollow noopener\" target=\"_blank\">{WebUtility.HtmlEncode(storefront)}</a>" },
                new JsonObject { ["type"] = "Link", ["name"] = "Order online", ["rel"] = "payment", ["mediaType"] = "text/html", ["href"] = storefront },
            },
        };
    }

    /// <summary>The node itself as an <c>Application</c>: it signs fetches that are not any shop's.</summary>
    public JsonObject InstanceActor(string publicKeyPem) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.InstanceActor,
        ["type"] = "Application",
        ["preferredUsername"] = urls.Host.Replace(':', '.'),
        ["name"] = "Plaza node " + urls.Host,
        ["url"] = urls.Origin + "/",
        ["inbox"] = urls.SharedInbox,
        ["outbox"] = urls.InstanceActor + "/outbox",
        ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
        // AS2 "streams": supplementary collections of interest; here the node's shop directory.
        ["streams"] = new JsonArray(urls.Directory),
        ["publicKey"] = new JsonObject { ["id"] = urls.InstanceKeyId, ["owner"] = urls.InstanceActor, ["publicKeyPem"] = publicKeyPem },
        ["manuallyApprovesFollowers"] = true,
        ["discoverable"] = false,
    };

    /// <summary>A promotion as a public <c>Note</c> (Mastodon shows a Note as a post; an Article only as a title).</summary>
    public JsonObject Note(Shop shop, Promotion promotion, bool withContext = true)
    {
        var content = Paragraph(promotion.Text);
        if (promotion.Link is { } link)
        {
            content += $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p>";
        }
        var note = new JsonObject
        {
            ["id"] = urls.Note(shop.Slug, promotion.Id),
            ["type"] = "Note",
            ["attributedTo"] = urls.Actor(shop.Slug),
            ["content"] = content,
            ["url"] = promotion.Link ?? urls.Storefront(shop.Slug),
            ["published"] = Timestamp(promotion.PublishedAt),
            ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
            ["cc"] = new JsonArray(urls.Followers(shop.Slug)),
        };
        if (promotion.UpdatedAt is { } updated)
        {
            note["updated"] = Timestamp(updated);
        }
        if (promotion.ImageUrl is { } image)
        {
            // Mastodon shows an Image attachment with its name as the description (alt text).
            var attachment = new JsonObject
            {
                ["type"] = "Image",
                ["mediaType"] = "image/webp",
                ["url"] = urls.Origin + image,
                ["name"] = promotion.ImageAlt,
            };
            if (promotion.ImageWidth is { } width && promotion.ImageHeight is { } height)
            {
                attachment["width"] = width;
                attachment["height"] = height;
            }
            note["attachment"] = new JsonArray(attachment);
        }
        if (withContext)
        {
            note.Insert(0, "@context", Context());
        }
        return note;
    }

    public JsonObject CreateNote(Shop shop, Promotion promotion) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.Note(shop.Slug, promotion.Id) + "/activity",
        ["type"] = "Create",
        ["actor"] = urls.Actor(shop.Slug),
        ["published"] = Timestamp(promotion.PublishedAt),
        ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
        ["cc"] = new JsonArray(urls.Followers(shop.Slug)),
        ["object"] = Note(shop, promotion, withContext: false),
    };

    /// <summary>An edited promotion: Update carrying the whole new Note (with <c>updated</c>), to the Note's audience.</summary>
    public JsonObject UpdateNote(Shop shop, Promotion promotion, string activityId) => new()
    {
        ["@context"] = Context(),
        ["id"] = activityId,
        ["type"] = "Update",
        ["actor"] = urls.Actor(shop.Slug),
        ["published"] = Timestamp(promotion.UpdatedAt ?? promotion.PublishedAt),
        ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
        ["cc"] = new JsonArray(urls.Followers(shop.Slug)),
        ["object"] = Note(shop, promotion, withContext: false),
    };

    /// <summary>Takes a promotion back: Delete of a Tombstone, to the same audience the Note had.</summary>
    public JsonObject DeleteNote(Shop shop, Promotion promotion) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.Note(shop.Slug, promotion.Id) + "#delete",
        ["type"] = "Delete",
        ["actor"] = urls.Actor(shop.Slug),
        ["to"] = new JsonArray(ActivityStreamsJson.PublicAudience),
        ["cc"] = new JsonArray(urls.Followers(shop.Slug)),
        ["object"] = new JsonObject { ["id"] = urls.Note(shop.Slug, promotion.Id), ["type"] = "Tombstone" },
    };

    /// <summary>Accepts a Follow, embedding it as received so the follower can match it.</summary>
    public JsonObject Accept(Shop shop, JsonNode follow, string followerId) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.Activity(shop.Slug, "accept", Guid.NewGuid()),
        ["type"] = "Accept",
        ["actor"] = urls.Actor(shop.Slug),
        ["to"] = new JsonArray(followerId),
        ["object"] = follow,
    };

    /// <summary>Refuses a Follow (or ends an accepted one: Mastodon drops the follow on a Reject of it).</summary>
    public JsonObject Reject(Shop shop, JsonNode follow, string followerId) => new()
    {
        ["@context"] = Context(),
        ["id"] = urls.Activity(shop.Slug, "reject", Guid.NewGuid()),
        ["type"] = "Reject",
        ["actor"] = urls.Actor(shop.Slug),
        ["to"] = new JsonArray(followerId),
        ["object"] = follow,
    };

    /// <summary>Takes back one of the shop's Follows (the shop unfollows, or leaves a hub).</summary>
    public JsonObject UndoFollow(Shop shop, string followId, string followedId)
    {
        var follow = Follow(shop, followId, followedId);
        follow.Remove("@context");
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = followId + "#undo",
            ["type"] = "Undo",
            ["actor"] = urls.Actor(shop.Slug),
            ["to"] = new JsonArray(followedId),
            ["object"] = follow,
        };
    }

    /// <summary>A Follow as the follower sent it, rebuilt from its id when the original was not kept.</summary>
    public JsonNode FollowOf(Shop shop, string followerId, string? followActivityId) => new JsonObject
    {
        ["id"] = followActivityId,
        ["type"] = "Follow",
        ["actor"] = followerId,
        ["object"] = urls.Actor(shop.Slug),
    };

    /// <summary>
    /// A report about a remote account, from the node's instance actor (Mastodon's form: <c>object</c> lists
    /// the account, <c>content</c> the comment); the reporting customer stays anonymous.
    /// </summary>
    public JsonObject Flag(string flagId, string reportedActorId, string comment) => new()
    {
        ["@context"] = Context(),
        ["id"] = flagId,
        ["type"] = "Flag",
        ["actor"] = urls.InstanceActor,
        ["content"] = comment,
        ["object"] = new JsonArray(reportedActorId),
    };

    public JsonObject Follow(Shop shop, string followId, string targetId) => new()
    {
        ["@context"] = Context(),
        ["id"] = followId,
        ["type"] = "Follow",
        ["actor"] = urls.Actor(shop.Slug),
        ["to"] = new JsonArray(targetId),
        ["object"] = targetId,
    };

    public static JsonObject OrderedCollection(string id, int total, string? first) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "OrderedCollection",
        ["totalItems"] = total,
        ["first"] = first,
    };

    public static JsonObject OrderedCollectionPage(string collection, int page, IEnumerable<JsonNode> items, bool hasNext)
    {
        var result = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{collection}?page={page}",
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = collection,
            ["orderedItems"] = new JsonArray([.. items]),
        };
        if (hasNext)
        {
            result["next"] = $"{collection}?page={page + 1}";
        }
        if (page > 1)
        {
            result["prev"] = $"{collection}?page={page - 1}";
        }
        return result;
    }

    // Plain text to the small HTML Mastodon renders: paragraphs on blank lines, <br> on single breaks.
    private static string Paragraph(string text) => string.Concat(
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(line => WebUtility.HtmlEncode(line.Trim()))) + "</p>"));

    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string OpeningHours(Shop shop)
    {
        var days = shop.OpeningHours
            .OrderBy(r => ((int)r.Day + 6) % 7).ThenBy(r => r.Opens)
            .GroupBy(r => r.Day)
            .Select(g => $"{CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(g.Key)} {string.Join(", ", g.Select(r => $"{OpeningRange.Clock(r.Opens)}–{OpeningRange.Clock(r.Closes)}"))}");
        return string.Join("; ", days) + $" ({shop.TimeZone})";
    }
}
