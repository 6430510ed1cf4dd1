using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;
using NodaTime;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;
using Plaza.Features.Notifications;
using Plaza.Features.Ordering;

namespace Plaza.Features.Storefront;

/// <summary>Marks the storefront page whose rendered HTML <see cref="MenuPageCache"/> keeps.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CachedMenuPageAttribute : Attribute;

/// <summary>
/// Keeps the rendered menu page, already compressed, per shop catalog version, language, table,
/// open/paused state and whether anyone attends the shop, so a customer opening a store or table code costs a look at the
/// shop's version (decision 0027: on a quiet SQLite store not even a read) instead of a render. Anything that changes what the page shows moves the
/// catalog version (<see cref="Shop.CatalogVersion"/>), the open/paused state or, for a shop with
/// holidays, the local date, and so the key.
/// Searches and filters (a query string) are rendered every time.
/// </summary>
public sealed class MenuPageCache(MenuPageCacheOptions options, TimeProvider clock, ChannelVisits visits, Attendance attendance, PlazaMetrics metrics)
    : IMiddleware, IDisposable
{
    /// <summary>A page nobody asked for in this long leaves either cache.</summary>
    private static readonly TimeSpan IdleFor = TimeSpan.FromMinutes(10);

    /// <summary>The compressed forms (about a tenth of the HTML each), made at once: what browsers fetch.</summary>
    private readonly MemoryCache pages = new(new MemoryCacheOptions { SizeLimit = options.Megabytes * 1024L * 1024L });

    /// <summary>
    /// The plain HTML, kept apart and only once a client that takes no compression asks (a crawler, curl): ten times
    /// the size of a compressed form, so in one cache a crawler going through a large node's shops pushed out the
    /// pages browsers fetch, and each came back as a render. Here a miss costs unpacking the gzip form, not a render.
    /// </summary>
    private readonly MemoryCache plains = new(new MemoryCacheOptions { SizeLimit = options.PlainMegabytes * 1024L * 1024L });

    private sealed record Page(string ContentType, byte[] Brotli, byte[] Gzip)
    {
        public long Size => Brotli.Length + Gzip.Length;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var scope = context.RequestServices.GetRequiredService<ShopScope>();
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.QueryString.HasValue
            || context.GetEndpoint()?.Metadata.GetMetadata<CachedMenuPageAttribute>() is null || scope.Shop is null)
        {
            await next(context);
            return;
        }
        var catalog = scope.Catalog;
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        if (context.GetRouteValue("table") is string table && catalog.Tables.ContainsKey(table))
        {
            // A table's code is a channel of its own: counted in memory, written in batches.
            visits.Add(catalog.Shop.Id, PlaceOrder.BusinessDayOf(catalog.Shop, now), ChannelCodes.Table(table), ChannelKind.Table, table);
        }
        var schedule = new OpeningSchedule(catalog.Shop);
        // The shop's local date too: the page names today's and the coming days' holidays.
        var key = (catalog.Shop.Id, catalog.Version, CultureInfo.CurrentUICulture.Name, context.GetRouteValue("table") as string,
            schedule.IsOpenAt(now), catalog.Shop.IsPausedAt(now.ToDateTimeUtc()), catalog.Shop.ClosedDates.Count == 0 ? default : schedule.LocalDateOf(now),
            await attendance.IsAttendedAsync(catalog.Shop, context.RequestAborted));
        var hit = pages.TryGetValue(key, out Page? page);
        metrics.MenuPage(hit);
        if (page is null)
        {
            page = await RenderAsync(context, next);
            if (page is null)
            {
                return; // not a plain 200 page: already sent as rendered
            }
            pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Size, SlidingExpiration = IdleFor });
        }
        var accepts = context.Request.Headers.AcceptEncoding.ToString();
        var (encoding, body) = accepts.Contains("br", StringComparison.OrdinalIgnoreCase) ? ("br", page.Brotli)
            : accepts.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? ("gzip", page.Gzip)
            : (null, Plain(key, page));
        await SendAsync(context, page.ContentType, encoding, body);
    }

    private byte[] Plain(object key, Page page)
    {
        if (!plains.TryGetValue(key, out byte[]? html))
        {
            html = Decompress(page.Gzip);
            plains.Set(key, html, new MemoryCacheEntryOptions { Size = html.Length, SlidingExpiration = IdleFor });
        }
        return html!;
    }

    /// <summary>Renders the page into memory; sends and returns null when it is not a cacheable 200.</summary>
    private static async Task<Page?> RenderAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var html = buffer.ToArray();
        if (context.Response.StatusCode != StatusCodes.Status200OK || context.Response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            await original.WriteAsync(html, context.RequestAborted);
            return null;
        }
        html = WithoutIndentation(html);
        return new Page(context.Response.ContentType ?? "text/html; charset=utf-8",
            Compress(html, s => new BrotliStream(s, CompressionLevel.Optimal)),
            Compress(html, s => new GZipStream(s, CompressionLevel.Optimal)));
    }

    /// <summary>
    /// The page without the templates' indentation (the spaces and tabs that begin a line): 75 → 42 KB for the demo
    /// menu, drawn the same, since a browser collapses that whitespace outside preformatted text. A page that has
    /// preformatted text (<c>pre</c>, <c>textarea</c>) is kept as it is.
    /// </summary>
    private static byte[] WithoutIndentation(byte[] html)
    {
        var span = html.AsSpan();
        if (span.IndexOf("<pre"u8) >= 0 || span.IndexOf("<textarea"u8) >= 0)
        {
            return html;
        }
        var result = new byte[html.Length];
        var length = 0;
        var lineStart = false;
        foreach (var b in html)
        {
            if (lineStart && b is (byte)' ' or (byte)'\t')
            {
                continue;
            }
            lineStart = b == (byte)'\n';
            result[length++] = b;
        }
        return result[..length];
    }

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
        {
            compressing.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] gzip)
    {
        using var output = new MemoryStream(gzip.Length * 10);
        using (var decompressing = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        {
            decompressing.CopyTo(output);
        }
        return output.ToArray();
    }

    private static Task SendAsync(HttpContext context, string contentType, string? encoding, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (encoding is not null)
        {
            // Already compressed: the response compression middleware leaves an encoded body alone.
            response.Headers.ContentEncoding = encoding;
        }
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    public void Dispose()
    {
        pages.Dispose();
        plains.Dispose();
    }
}

/// <summary>
/// How much memory rendered menu pages may take: the compressed forms browsers fetch (brotli and gzip, about 8–16 KB a
/// page), and apart from them the plain HTML kept for clients that ask for no compression (60–80 KB a page).
/// </summary>
public sealed class MenuPageCacheOptions
{
    public int Megabytes { get; set; } = 64;

    public int PlainMegabytes { get; set; } = 64;
}
