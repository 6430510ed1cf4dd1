using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Channels;

/// <summary>
/// Tracked links and the share button. <c>GET /s/{shop}/c/{code}</c> counts a visit of the channel,
/// remembers it in the shop's attribution cookie and redirects to the storefront, the table or the
/// item (<c>?item=</c>); <c>POST /s/{shop}/share</c> gives the customer their personal link, a share
/// channel under the channel they came from.
/// </summary>
public static class TrackedLinks
{
    public sealed record ShareResponse(string Code, string Url, int Depth);

    public static WebApplication MapTrackedLinks(this WebApplication app)
    {
        app.MapGet("/s/{shop}/c/{code}", FollowAsync).WithMetadata(new ShopScopedAttribute()).ExcludeFromDescription();
        app.MapPost("/s/{shop}/share", ShareAsync).WithMetadata(new ShopScopedAttribute()).RequireRateLimiting("orders").ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> FollowAsync(string code, int? item, HttpContext http, ShopScope scope, PlazaDb db,
        ChannelDirectory directory, ChannelVisits visits, TimeProvider clock, CancellationToken ct)
    {
        var catalog = scope.Catalog;
        var shop = catalog.Shop;
        var channel = await directory.FindAsync(shop.Id, code, ct);
        if (channel is null && ChannelCodes.Automatic(code, catalog) is { } automatic
            && (automatic != ChannelKind.Promotion || await PromotionExistsAsync(db, code, ct)))
        {
            channel = await directory.EnsureAsync(shop.Id, code, automatic, code, ct);
        }
        var slug = Uri.EscapeDataString(shop.Slug);
        var target = channel is { Kind: ChannelKind.Table } ? $"/s/{slug}/t/{Uri.EscapeDataString(ChannelCodes.TableOf(code))}"
            : item is { } id && catalog.Items.ContainsKey(id) ? $"/s/{slug}/items/{id}"
            : $"/s/{slug}";
        http.Response.Headers.CacheControl = "no-store";
        if (channel is null)
        {
            return Results.Redirect(target); // a mistyped or unknown code still reaches the shop, uncounted
        }
        var day = PlaceOrder.BusinessDayOf(shop, Instant.FromDateTimeOffset(clock.GetUtcNow()));
        visits.Add(shop.Id, day, channel.Code, channel.Kind, code);
        var attribution = Attribution.Read(http.Request, shop.Id);
        // A customer opening their own personal link is not referred by it.
        if (channel.Id != attribution.Mine)
        {
            attribution.Touch(channel.Id).Write(http.Response, shop.Id);
        }
        return Results.Redirect(target);
    }

    private static async Task<bool> PromotionExistsAsync(PlazaDb db, string code, CancellationToken ct) =>
        ChannelCodes.PromotionOf(code) is { } id && await db.Promotions.AnyAsync(p => p.Id == id, ct);

    private static async Task<IResult> ShareAsync(HttpContext http, ShopScope scope, ChannelDirectory directory, OrderLinks links, CancellationToken ct)
    {
        var shop = scope.Current;
        var attribution = Attribution.Read(http.Request, shop.Id);
        var mine = attribution.Mine is { } id ? await directory.FindAsync(shop.Id, id, ct) : null;
        if (mine is not { Kind: ChannelKind.Share })
        {
            var parent = attribution.Last is { } last ? await directory.FindAsync(shop.Id, last, ct) : null;
            var code = ChannelCodes.NewShare();
            mine = await directory.EnsureAsync(shop.Id, code, ChannelKind.Share, code, ct, parent);
            (attribution with { Mine = mine.Id }).Write(http.Response, shop.Id);
        }
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new ShareResponse(mine.Code, links.Channel(shop.Slug, mine.Code), mine.Depth));
    }
}
