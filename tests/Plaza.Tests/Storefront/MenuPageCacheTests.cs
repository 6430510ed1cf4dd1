using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Common;
using Plaza.Features.Catalog;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Storefront;

/// <summary>What the rendered-page cache keeps, counted by the node's own <c>plaza.menu.page.requests</c> instrument.</summary>
public sealed class MenuPageCacheTests
{
    [Fact]
    public async Task A_crawler_reading_every_page_without_compression_does_not_make_browsers_pages_render_again()
    {
        // Two megabytes for the compressed forms (all 301 pages below fit), one for plain HTML (about a third of them).
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            a.Settings["Plaza:PageCache:Megabytes"] = "2";
            a.Settings["Plaza:PageCache:PlainMegabytes"] = "1";
        });
        var shop = await CreateAsync(app);
        var codes = Enumerable.Range(100, 300).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await app.WithDb(shop.Shop, async db =>
        {
            db.Tables.AddRange(codes.Select(c => new ShopTable { ShopId = shop.Shop.Id, Code = c, Name = $"Table {c}" }));
            return await db.SaveChangesAsync();
        });
        var pages = codes.Select(c => $"/s/{shop.Slug}/t/{c}").Prepend($"/s/{shop.Slug}").ToList();
        using var counted = new PageRequests(app);
        var client = app.CreateClient();

        await ReadAllAsync(client, pages, "br");
        Assert.Equal(pages.Count, counted.Rendered);
        // A crawler goes through every page twice asking for no compression: more plain HTML than both budgets together.
        var plainBytes = await ReadAllAsync(client, pages, "");
        Assert.True(plainBytes > 2 * 1024 * 1024, $"The crawler read only {plainBytes} bytes; the test needs more than the plain pages' megabyte.");
        await ReadAllAsync(client, pages, "");
        await Task.Delay(200); // a full cache compacts in the background
        await ReadAllAsync(client, pages, "br");
        await ReadAllAsync(client, pages, "gzip");

        Assert.Equal(pages.Count, counted.Rendered); // every page was rendered once, however much plain HTML was asked for
        Assert.Equal(4 * pages.Count, counted.Hits);
    }

    /// <summary>Reads every page as a client asking for <paramref name="encoding"/>; returns the HTML's bytes.</summary>
    private static async Task<long> ReadAllAsync(HttpClient client, IEnumerable<string> paths, string encoding)
    {
        long bytes = 0;
        foreach (var path in paths)
        {
            var html = await PageAsync(client, path, encoding);
            Assert.Contains("Cake", html, StringComparison.Ordinal);
            bytes += System.Text.Encoding.UTF8.GetByteCount(html);
        }
        return bytes;
    }

    /// <summary>Counts this node's menu page answers by result (its own meter: other nodes in the test process have theirs).</summary>
    private sealed class PageRequests : IDisposable
    {
        private readonly MeterListener listener = new();
        private long hits;
        private long rendered;

        public PageRequests(PlazaApp app)
        {
            var meter = app.Services.GetRequiredService<PlazaMetrics>().Meter;
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "plaza.menu.page.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "result")
                    {
                        Interlocked.Add(ref (Equals(tag.Value, "hit") ? ref hits : ref rendered), value);
                    }
                }
            });
            listener.Start();
        }

        public long Hits => Interlocked.Read(ref hits);

        public long Rendered => Interlocked.Read(ref rendered);

        public void Dispose() => listener.Dispose();
    }
}
