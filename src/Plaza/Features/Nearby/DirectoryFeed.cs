using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>
/// The node's shop directory for other nodes to subscribe to: a paged AS2 <c>OrderedCollection</c> at
/// <c>/directory</c> (linked from the instance actor's <c>streams</c> and NodeInfo's
/// <c>metadata.shopDirectory</c>) of this node's own shops and those it knows first-hand (followed, seen
/// through a hub), each an <c>Organization</c> with its place and storefront. What this node only learnt
/// from other directories is not re-published (no loops, no amplification), nor anything it blocks.
/// Answers carry an ETag over the whole listing, so an unchanged directory costs a subscriber a 304.
/// </summary>
public static class DirectoryFeed
{
    public const int PageSize = 100;

    public sealed record Entry(string Id, string Name, string Url, double Latitude, double Longitude);

    public static WebApplication MapDirectoryFeed(this WebApplication app)
    {
        app.MapGet("/directory", GetAsync).WithName("ShopDirectory").WithTags("Federation")
            .WithSummary("The node's shop directory as a paged OrderedCollection (?page=1) of Organizations with their place, for other nodes to subscribe to.");
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, int? page, PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        if (page < 1)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["page"] = [Text.Say("Pages start at 1.")] });
        }
        var entries = await ListAsync(db, urls, ct);
        var etag = $"\"{Hash(entries)}{(page is { } p ? "-" + p.ToString(CultureInfo.InvariantCulture) : "")}\"";
        http.Response.Headers.ETag = etag;
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Tag == etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Documents.Serve(page is null
            ? Documents.OrderedCollection(urls.Directory, entries.Count, urls.Directory + "?page=1")
            : Documents.OrderedCollectionPage(urls.Directory, page.Value,
                entries.Skip((int)Math.Min(((long)page.Value - 1) * PageSize, entries.Count)).Take(PageSize).Select(Item), entries.Count > (long)page.Value * PageSize));
    }

    /// <summary>What the directory lists: own shops first, then known shops learnt first-hand, neither blocked.</summary>
    public static async Task<List<Entry>> ListAsync(PlazaDb db, ActorUrls urls, CancellationToken ct)
    {
        var own = await db.Shops.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Slug, s.Name, s.Latitude, s.Longitude }).ToListAsync(ct);
        var blocks = await NearbyQuery.BlocksAsync(db, ct);
        var known = await db.KnownShops.AsNoTracking().Where(s => s.Source != KnownShopSource.Directory).OrderBy(s => s.Id).ToListAsync(ct);
        return
        [
            .. own.Select(s => new Entry(urls.Actor(s.Slug), s.Name, urls.Storefront(s.Slug), s.Latitude, s.Longitude)),
            .. known.Where(s => !blocks.Hides(s)).Select(s => new Entry(s.ActorId, s.Name, s.StorefrontUrl, s.Latitude, s.Longitude)),
        ];
    }

    private static LinkOrObject Item(Entry entry) => new Actor
    {
        Type = "Organization",
        Id = entry.Id,
        Name = entry.Name,
        Url = new LinkOrObject(entry.Url),
        Location = new Place { Type = "Place", Latitude = entry.Latitude, Longitude = entry.Longitude },
    };

    private static string Hash(List<Entry> entries)
    {
        var text = string.Join('\n', entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Id}\t{e.Name}\t{e.Url}\t{e.Latitude}\t{e.Longitude}")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }
}
