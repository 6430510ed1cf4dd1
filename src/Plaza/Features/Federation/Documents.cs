using System.Globalization;
using System.Net;
using System.Text;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Catalog;
using Plaza.Features.Promotions;

namespace Plaza.Features.Federation;

/// <summary>The ActivityStreams documents this node serves and sends, built in one place with the typed classes of Plaza.Federation.</summary>
public sealed class Documents(ActorUrls urls)
{
    /// <summary>A document served as <c>application/activity+json</c>.</summary>
    public static IResult Serve(AsObject document) =>
        Results.Text(ActivityStreamsJson.Serialize(document), ActivityStreamsMediaTypes.Activity, Encoding.UTF8);

    /// <summary>A shop as an <c>Organization</c> actor, with what a follower wants to know: where, when, how to order.</summary>
    public Actor ShopActor(Shop shop, string publicKeyPem, bool manuallyApprovesFollowers = false)
    {
        var actor = urls.Actor(shop.Slug);
        var storefront = urls.Storefront(shop.Slug);
        return new Actor
        {
            Context = ActivityStreamsJson.Context,
            Id = actor,
            Type = "Organization",
            PreferredUsername = shop.Slug,
            Name = shop.Name,
            Summary = Paragraph(shop.Description),
            Url = new LinkOrObject(storefront),
            Icon = new LinkOrObject(new AsObject { Type = "Image", MediaType = "image/png", Url = new LinkOrObject(urls.Origin + "/icons/icon-512.png") }),
            Inbox = urls.Inbox(shop.Slug),
            Outbox = urls.Outbox(shop.Slug),
            Followers = urls.Followers(shop.Slug),
            Following = urls.Following(shop.Slug),
            Endpoints = new ActorEndpoints { SharedInbox = urls.SharedInbox },
            PublicKey = new ActorPublicKey { Id = urls.KeyId(shop.Slug), Owner = actor, PublicKeyPem = publicKeyPem },
            ManuallyApprovesFollowers = manuallyApprovesFollowers,
            Discoverable = true,
            Location = new Place { Type = "Place", Name = shop.Address, Latitude = shop.Latitude, Longitude = shop.Longitude },
            Attachment = new LinkOrObject[]
            {
                new PropertyValue { Type = "PropertyValue", Name = "Opening hours", Value = WebUtility.HtmlEncode(OpeningHours(shop)) },
                new PropertyValue { Type = "PropertyValue", Name = "Order online", Value = $"<a href=\"{WebUtility.HtmlEncode(storefront)}\" rel=\"me nofollow noopener\" target=\"_blank\">{WebUtility.HtmlEncode(storefront)}</a>" },
                new Link { Type = "Link", Name = "Order online", Rel = "payment", MediaType = "text/html", Href = storefront },
            },
        };
    }

    /// <summary>The node itself as an <c>Application</c>: it signs fetches that are not any shop's.</summary>
    public Actor InstanceActor(string publicKeyPem) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.InstanceActor,
        Type = "Application",
        PreferredUsername = urls.Host.Replace(':', '.'),
        Name = "Plaza node " + urls.Host,
        Url = new LinkOrObject(urls.Origin + "/"),
        Inbox = urls.SharedInbox,
        Outbox = urls.InstanceOutbox,
        Endpoints = new ActorEndpoints { SharedInbox = urls.SharedInbox },
        // The node's shop directory, as a collection of interest.
        Streams = new LinkOrObject[] { urls.Directory },
        PublicKey = new ActorPublicKey { Id = urls.InstanceKeyId, Owner = urls.InstanceActor, PublicKeyPem = publicKeyPem },
        ManuallyApprovesFollowers = true,
        Discoverable = false,
    };

    /// <summary>A promotion as a public <c>Note</c> (Mastodon shows a Note as a post; an Article only as a title).</summary>
    public AsObject Note(Shop shop, Promotion promotion, bool withContext = true)
    {
        var content = Paragraph(promotion.Text);
        var target = PromotionLinks.Target(urls.Storefront(shop.Slug), promotion);
        if (promotion.Link is not null)
        {
            content += $"<p><a href=\"{WebUtility.HtmlEncode(target)}\">{WebUtility.HtmlEncode(target)}</a></p>";
        }
        if (promotion.CouponCode is { } code)
        {
            // In the shop's language, as the post's text is: the code is for anyone who reads it.
            var words = Mail.Outbox.In(shop.DefaultLanguage, () => Text.Say("Coupon code: {0} — type it at checkout.", code));
            content += $"<p>{WebUtility.HtmlEncode(words)}</p>";
        }
        var note = new AsObject
        {
            Context = withContext ? ActivityStreamsJson.Context : null,
            Id = urls.Note(shop.Slug, promotion.Id),
            Type = "Note",
            AttributedTo = new LinkOrObject(urls.Actor(shop.Slug)),
            Content = content,
            Url = new LinkOrObject(target),
            Published = Utc(promotion.PublishedAt),
            Updated = promotion.UpdatedAt is { } updated ? Utc(updated) : null,
            To = Public,
            Cc = new LinkOrObject[] { urls.Followers(shop.Slug) },
        };
        if (promotion.ImageUrl is { } image)
        {
            // Mastodon shows an Image attachment with its name as the description (alt text).
            var attachment = new AsObject { Type = "Image", MediaType = "image/webp", Url = new LinkOrObject(urls.Origin + image), Name = promotion.ImageAlt };
            if (promotion.ImageWidth is { } width && promotion.ImageHeight is { } height)
            {
                (attachment.Width, attachment.Height) = (width, height);
            }
            note.Attachment = new LinkOrObject[] { attachment };
        }
        return note;
    }

    public Activity CreateNote(Shop shop, Promotion promotion) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.Note(shop.Slug, promotion.Id) + "/activity",
        Type = "Create",
        Actor = new LinkOrObject(urls.Actor(shop.Slug)),
        Published = Utc(promotion.PublishedAt),
        To = Public,
        Cc = new LinkOrObject[] { urls.Followers(shop.Slug) },
        Object = new LinkOrObject(Note(shop, promotion, withContext: false)),
    };

    /// <summary>An edited promotion: Update carrying the whole new Note (with <c>updated</c>), to the Note's audience.</summary>
    public Activity UpdateNote(Shop shop, Promotion promotion, string activityId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = activityId,
        Type = "Update",
        Actor = new LinkOrObject(urls.Actor(shop.Slug)),
        Published = Utc(promotion.UpdatedAt ?? promotion.PublishedAt),
        To = Public,
        Cc = new LinkOrObject[] { urls.Followers(shop.Slug) },
        Object = new LinkOrObject(Note(shop, promotion, withContext: false)),
    };

    /// <summary>Takes a promotion back: Delete of a Tombstone, to the same audience the Note had.</summary>
    public Activity DeleteNote(Shop shop, Promotion promotion) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = urls.Note(shop.Slug, promotion.Id) + "#delete",
        Type = "Delete",
        Actor = new LinkOrObject(urls.Actor(shop.Slug)),
        To = Public,
        Cc = new LinkOrObject[] { urls.Followers(shop.Slug) },
        Object = new LinkOrObject(new Tombstone { Id = urls.Note(shop.Slug, promotion.Id), Type = "Tombstone" }),
    };

    /// <summary>Accepts a Follow, embedding it as received (<see cref="LinkOrObject.AsReceived(string, bool)"/>) so the follower can match it.</summary>
    public Activity Accept(Shop shop, LinkOrObject follow, string followerId) =>
        Answer("Accept", urls.Activity(shop.Slug, "accept", Guid.NewGuid()), urls.Actor(shop.Slug), follow, followerId);

    /// <summary>Refuses a Follow (or ends an accepted one: Mastodon drops the follow on a Reject of it).</summary>
    public Activity Reject(Shop shop, LinkOrObject follow, string followerId) =>
        Answer("Reject", urls.Activity(shop.Slug, "reject", Guid.NewGuid()), urls.Actor(shop.Slug), follow, followerId);

    /// <summary>Takes back one of the shop's Follows (the shop unfollows, or leaves a hub).</summary>
    public Activity UndoFollow(Shop shop, string followId, string followedId) => UndoFollow(urls.Actor(shop.Slug), followId, followedId);

    /// <summary>A Follow of the shop as the follower sent it, rebuilt from its id when the original was not kept.</summary>
    public Activity FollowOf(Shop shop, string followerId, string? followActivityId) => FollowOf(followerId, followActivityId, urls.Actor(shop.Slug));

    public Activity Follow(Shop shop, string followId, string targetId) => Follow(urls.Actor(shop.Slug), followId, targetId);

    // The follow activities of any local actor: a shop, or a hub (HubDocuments).

    /// <summary>A Follow of <paramref name="targetId"/> by <paramref name="actorId"/>, addressed to the target.</summary>
    public static Activity Follow(string actorId, string followId, string targetId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = followId,
        Type = "Follow",
        Actor = new LinkOrObject(actorId),
        To = new LinkOrObject[] { targetId },
        Object = new LinkOrObject(targetId),
    };

    /// <summary>Takes back <paramref name="actorId"/>'s Follow of <paramref name="followedId"/>, embedding it.</summary>
    public static Activity UndoFollow(string actorId, string followId, string followedId)
    {
        var follow = Follow(actorId, followId, followedId);
        follow.Context = null;
        return new Activity
        {
            Context = ActivityStreamsJson.Context,
            Id = followId + "#undo",
            Type = "Undo",
            Actor = new LinkOrObject(actorId),
            To = new LinkOrObject[] { followedId },
            Object = new LinkOrObject(follow),
        };
    }

    /// <summary>A Follow of <paramref name="followedId"/> as <paramref name="followerId"/> sent it, rebuilt from its id.</summary>
    public static Activity FollowOf(string followerId, string? followActivityId, string followedId) => new()
    {
        Id = followActivityId,
        Type = "Follow",
        Actor = new LinkOrObject(followerId),
        Object = new LinkOrObject(followedId),
    };

    /// <summary><paramref name="actorId"/>'s answer (<c>Accept</c> or <c>Reject</c>) to a Follow, addressed to the follower.</summary>
    public static Activity Answer(string type, string id, string actorId, LinkOrObject follow, string followerId) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = id,
        Type = type,
        Actor = new LinkOrObject(actorId),
        To = new LinkOrObject[] { followerId },
        Object = follow,
    };

    /// <summary>
    /// A report about a remote account, from the node's instance actor (Mastodon's form: <c>object</c> lists
    /// the account, <c>content</c> the comment); the reporting customer stays anonymous.
    /// </summary>
    public Activity Flag(string flagId, string reportedActorId, string comment) => new()
    {
        Context = ActivityStreamsJson.Context,
        Id = flagId,
        Type = "Flag",
        Actor = new LinkOrObject(urls.InstanceActor),
        Content = comment,
        Object = new LinkOrObject[] { reportedActorId },
    };

    /// <summary>A collection's first document: its size and, when it is paged, where the first page is.</summary>
    public static OrderedCollection OrderedCollection(string id, int total, string? first) => new()
    {
        Context = ActivityStreamsJson.ActivityStreamsContext,
        Id = id,
        Type = "OrderedCollection",
        TotalItems = total,
        First = first is null ? null : new LinkOrObject(first),
    };

    public static OrderedCollectionPage OrderedCollectionPage(string collection, int page, IEnumerable<LinkOrObject> items, bool hasNext) => new()
    {
        Context = ActivityStreamsJson.ActivityStreamsContext,
        Id = $"{collection}?page={page}",
        Type = "OrderedCollectionPage",
        PartOf = collection,
        // Written as an array even when it holds one item or none.
        OrderedItems = new OneOrMany<LinkOrObject>(items),
        Next = hasNext ? new LinkOrObject($"{collection}?page={page + 1}") : null,
        Prev = page > 1 ? new LinkOrObject($"{collection}?page={page - 1}") : null,
    };

    private static OneOrMany<LinkOrObject> Public => new LinkOrObject[] { ActivityStreamsJson.PublicAudience };

    // Stored times are UTC whatever Kind the store gives back; written with whole seconds, as Mastodon writes them.
    private static DateTimeOffset Utc(DateTime utc) => new(utc.Ticks, TimeSpan.Zero);

    // Plain text to the small HTML Mastodon renders: paragraphs on blank lines, <br> on single breaks.
    private static string Paragraph(string text) => string.Concat(
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(line => WebUtility.HtmlEncode(line.Trim()))) + "</p>"));

    private static string OpeningHours(Shop shop)
    {
        var days = shop.OpeningHours
            .OrderBy(r => ((int)r.Day + 6) % 7).ThenBy(r => r.Opens)
            .GroupBy(r => r.Day)
            .Select(g => $"{CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(g.Key)} {string.Join(", ", g.Select(r => $"{OpeningRange.Clock(r.Opens)}–{OpeningRange.Clock(r.Closes)}"))}");
        return string.Join("; ", days) + $" ({shop.TimeZone})";
    }
}
