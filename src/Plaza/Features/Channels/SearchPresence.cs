using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Channels;

/// <summary>
/// How search engines find the shops on this node: <c>/robots.txt</c>, <c>/sitemap.xml</c> (every storefront, item and
/// post page), and schema.org JSON-LD for the menu and item pages. The menu's JSON-LD names each item with its
/// price and page only; descriptions and photos live on the item pages, so the menu page stays small.
/// </summary>
public static class SearchPresence
{
    /// <summary>The most URLs one sitemap file may list (sitemaps.org).</summary>
    public const int SitemapLimit = 50_000;

    /// <summary>HTML-sensitive characters escaped (a name cannot close the script element); Chinese kept as written.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static WebApplication MapSearchPresence(this WebApplication app)
    {
        app.MapGet("/robots.txt", (PublicOrigin origin) => Results.Text(
            $"""
            User-agent: *
            Disallow: /console/
            Disallow: /api/
            Disallow: /s/*/checkout
            Disallow: /s/*/orders/
            Disallow: /s/*/report
            Allow: /

            Sitemap: {origin.Link("/sitemap.xml")}

            """, "text/plain", Encoding.UTF8)).ExcludeFromDescription();
        app.MapGet("/sitemap.xml", SitemapAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SitemapAsync(PlazaDb db, PublicOrigin origin, CancellationToken ct)
    {
        // No shop is in scope here: the sitemap is the node's, so the filter is lifted by name.
        var shops = await db.Shops.AsNoTracking().OrderBy(s => s.Slug).Select(s => new { s.Id, s.Slug }).Take(SitemapLimit).ToListAsync(ct);
        var items = await db.Items.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .OrderBy(i => i.ShopId).ThenBy(i => i.Id).Select(i => new { i.ShopId, i.Id }).Take(SitemapLimit).ToListAsync(ct);
        var posts = await db.Promotions.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().Where(p => p.DeletedAt == null)
            .OrderByDescending(p => p.Id).Select(p => new { p.ShopId, p.Id }).Take(SitemapLimit).ToListAsync(ct);
        var slugs = shops.ToDictionary(s => s.Id, s => s.Slug);
        var urls = shops.Select(s => $"/s/{Uri.EscapeDataString(s.Slug)}")
            .Concat(items.Where(i => slugs.ContainsKey(i.ShopId)).Select(i => ItemPath(slugs[i.ShopId], i.Id)))
            .Concat(posts.Where(p => slugs.ContainsKey(p.ShopId)).Select(p => Promotions.PromotionLinks.PagePath(slugs[p.ShopId], p.Id)))
            .Take(SitemapLimit);
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), }))
        {
            xml.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            foreach (var url in urls)
            {
                xml.WriteStartElement("url");
                xml.WriteElementString("loc", origin.Link(url));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return Results.Bytes(stream.ToArray(), "application/xml; charset=utf-8");
    }

    public static string ItemPath(string shopSlug, int itemId) =>
        string.Create(CultureInfo.InvariantCulture, $"/s/{Uri.EscapeDataString(shopSlug)}/items/{itemId}");

    /// <summary>The shop as a schema.org <c>Restaurant</c>, its menu's sections and items with their prices.</summary>
    public static string ShopJsonLd(Shop shop, IReadOnlyList<MenuCategory> menu, PublicOrigin origin)
    {
        var digits = Currencies.DigitsOf(shop.Currency);
        var place = Place(shop, origin);
        place["@context"] = "https://schema.org";
        place["hasMenu"] = new JsonObject
        {
            ["@type"] = "Menu",
            ["hasMenuSection"] = new JsonArray([.. menu.Select(c => (JsonNode)new JsonObject
            {
                ["@type"] = "MenuSection",
                ["name"] = c.Name,
                ["hasMenuItem"] = new JsonArray([.. c.Items.Select(i => (JsonNode)new JsonObject
                {
                    ["@type"] = "MenuItem",
                    ["name"] = i.Name,
                    ["url"] = origin.Link(ItemPath(shop.Slug, i.Id)),
                    ["offers"] = Offer(i, shop, digits),
                })]),
            })]),
        };
        return place.ToJsonString(Json);
    }

    /// <summary>One item as a schema.org <c>MenuItem</c> with its offer, description and photo, and the shop it belongs to.</summary>
    public static string ItemJsonLd(Shop shop, MenuItem item, PublicOrigin origin)
    {
        var node = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "MenuItem",
            ["name"] = item.Name,
            ["url"] = origin.Link(ItemPath(shop.Slug, item.Id)),
            ["offers"] = Offer(item, shop, Currencies.DigitsOf(shop.Currency)),
        };
        if (item.Description.Length > 0)
        {
            node["description"] = item.Description;
        }
        if (item.ImageUrl is not null)
        {
            node["image"] = origin.Link(item.ImageUrl);
        }
        node["provider"] = Place(shop, origin);
        return node.ToJsonString(Json);
    }

    /// <summary>
    /// A promotion as a schema.org <c>SocialMediaPosting</c> by the shop, about the item it offers when it offers one.
    /// </summary>
    public static string PostJsonLd(Shop shop, string path, string text, DateTime published, DateTime? updated, string? image, MenuItem? item, PublicOrigin origin)
    {
        var node = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "SocialMediaPosting",
            ["url"] = origin.Link(path),
            ["articleBody"] = text,
            ["datePublished"] = DateTime.SpecifyKind(published, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["author"] = Place(shop, origin),
        };
        if (updated is { } edited)
        {
            node["dateModified"] = DateTime.SpecifyKind(edited, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        if (image is not null)
        {
            node["image"] = origin.Link(image);
        }
        if (item is not null)
        {
            node["about"] = new JsonObject
            {
                ["@type"] = "MenuItem",
                ["name"] = item.Name,
                ["url"] = origin.Link(ItemPath(shop.Slug, item.Id)),
                ["offers"] = Offer(item, shop, Currencies.DigitsOf(shop.Currency)),
            };
        }
        return node.ToJsonString(Json);
    }

    private static JsonObject Offer(MenuItem item, Shop shop, int digits) => new()
    {
        ["@type"] = "Offer",
        ["price"] = MenuCsv.Major(item.Price.Amount, digits),
        ["priceCurrency"] = shop.Currency,
        ["availability"] = item.SoldOut ? "https://schema.org/OutOfStock" : "https://schema.org/InStock",
    };

    private static JsonObject Place(Shop shop, PublicOrigin origin)
    {
        var place = new JsonObject
        {
            ["@type"] = "Restaurant",
            ["name"] = shop.Name,
            ["url"] = origin.Link($"/s/{Uri.EscapeDataString(shop.Slug)}"),
        };
        if (shop.Description.Length > 0)
        {
            place["description"] = shop.Description;
        }
        if (shop.Cuisine.Length > 0)
        {
            place["servesCuisine"] = shop.Cuisine;
        }
        if (shop.LogoUrl is not null)
        {
            place["logo"] = origin.Link(shop.LogoUrl);
            place["image"] = origin.Link(shop.LogoUrl);
        }
        if (shop.Phone.Length > 0)
        {
            place["telephone"] = shop.Phone;
        }
        if (shop.Email.Length > 0)
        {
            place["email"] = shop.Email;
        }
        if (shop.Address.Length > 0)
        {
            place["address"] = new JsonObject { ["@type"] = "PostalAddress", ["streetAddress"] = shop.Address };
        }
        if (shop.Latitude != 0 || shop.Longitude != 0)
        {
            place["geo"] = new JsonObject { ["@type"] = "GeoCoordinates", ["latitude"] = shop.Latitude, ["longitude"] = shop.Longitude };
        }
        place["currenciesAccepted"] = shop.Currency;
        place["openingHoursSpecification"] = new JsonArray([.. shop.OpeningHours.OrderBy(r => r.Day).ThenBy(r => r.Opens).Select(r => (JsonNode)new JsonObject
        {
            ["@type"] = "OpeningHoursSpecification",
            ["dayOfWeek"] = "https://schema.org/" + Days[(int)r.Day],
            ["opens"] = OpeningRange.Clock(r.Opens),
            ["closes"] = OpeningRange.Clock(r.Closes),
        })]);
        return place;
    }
}
