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
/// open/paused state and whether anyone attends the shop, so a customer opening a store or table code costs one indexed read of
/// the shop's version instead of a render. Anything that changes what the page shows moves the
/// catalog version (<see cref="Shop.CatalogVersion"/>), the open/paused state or, for a shop with
/// holidays, the local date, and so the key.
/// Searches and filters (a query string) are rendered every time.
/// </summary>
public sealed class MenuPageCache(MenuPageCacheOptions options, TimeProvider clock, ChannelVisits visits, Attendance attendance) : IMiddleware, IDisposable
{
    private readonly MemoryCache pages = new(new MemoryCacheOptions { SizeLimit = options.Megabytes * 1024L * 1024L });

    /// <summary>
    /// The compressed forms (about a tenth of the HTML each) are made at once; the plain HTML only
    /// once a client that takes neither asks, so a node's memory goes to what browsers fetch.
    /// </summary>
    private sealed record Page(string ContentType, byte[] Brotli, byte[] Gzip, byte[]? Plain = null)
    {
        public long Size => Brotli.Length + Gzip.Length + (Plain?.Length ?? 0);
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
        if (!pages.TryGetValue(key, out Page? page))
        {
            page = await RenderAsync(context, next);
            if (page is null)
            {
                return; // not a plain 200 page: already sent as rendered
            }
            Keep(key, page);
        }
        var accepts = context.Request.Headers.AcceptEncoding.ToString();
        if (page!.Plain is null && !accepts.Contains("br", StringComparison.OrdinalIgnoreCase) && !accepts.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            page = page with { Plain = Decompress(page.Gzip) };
            Keep(key, page);
        }
        await SendAsync(context, page, accepts);
    }

    private void Keep(object key, Page page) =>
        pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Size, SlidingExpiration = TimeSpan.FromMinutes(10) });

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
        return new Page(context.Response.ContentType ?? "text/html; charset=utf-8",
            Compress(html, s => new BrotliStream(s, CompressionLevel.Optimal)),
            Compress(html, s => new GZipStream(s, CompressionLevel.Optimal)));
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

    private static Task SendAsync(HttpContext context, Page page, string accepts)
    {
        var (encoding, body) = accepts.Contains("br", StringComparison.OrdinalIgnoreCase) ? ("br", page.Brotli)
            : accepts.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? ("gzip", page.Gzip)
            : (null, page.Plain ?? Decompress(page.Gzip));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = page.ContentType;
        response.ContentLength = body.Length;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (encoding is not null)
        {
            // Already compressed: the response compression middleware leaves an encoded body alone.
            response.Headers.ContentEncoding = encoding;
        }
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    public void Dispose() => pages.Dispose();
}

/// <summary>How much memory rendered menu pages may take (brotli and gzip about 16 KB a page; plain HTML where asked for).</summary>
public sealed class MenuPageCacheOptions
{
    public int Megabytes { get; set; } = 64;
}
