using System.Diagnostics.Metrics;

namespace Plaza.Common;

/// <summary>
/// The node's own instruments on the <c>Plaza</c> meter (System.Diagnostics.Metrics, which OpenTelemetry reads and
/// serves to Prometheus at <c>/metrics</c>): what the features count as they work. Gauges that are read from the
/// store or the disk when scraped live with the operations feature.
/// </summary>
public sealed class PlazaMetrics
{
    public const string MeterName = "Plaza";

    private readonly Counter<long> placed;
    private readonly Counter<long> refused;
    private readonly Counter<long> autoRejected;
    private readonly Histogram<double> writeSeconds;
    private readonly Histogram<int> batchSize;
    private readonly Counter<long> menuCache;
    private readonly Counter<long> menuPages;
    private long liveStreams;

    public PlazaMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        placed = Meter.CreateCounter<long>("plaza.orders.placed", "{order}", "Orders stored, by shop.");
        refused = Meter.CreateCounter<long>("plaza.orders.refused", "{order}", "Orders refused with a problem (sold out, closed, invalid …), by shop and reason.");
        autoRejected = Meter.CreateCounter<long>("plaza.orders.auto_rejected", "{order}", "Orders the node rejected because nobody confirmed them in time, by shop.");
        writeSeconds = Meter.CreateHistogram<double>("plaza.orders.write.duration", "s", "Time to write one batch of orders (one transaction, one commit).",
            advice: new() { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });
        batchSize = Meter.CreateHistogram<int>("plaza.orders.batch.size", "{order}", "Orders written together in one commit.",
            advice: new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        menuCache = Meter.CreateCounter<long>("plaza.menu.cache.requests", "{request}", "Catalog reads, by result: hit (served from memory) or miss (loaded from the store).");
        menuPages = Meter.CreateCounter<long>("plaza.menu.page.requests", "{request}",
            "Menu pages asked for, by result: hit (sent from memory) or rendered (made from the catalog; a node whose page cache is too small renders often).");
        // Observed rather than counted, so it is served (as 0) from the first scrape, not only after the first stream.
        Meter.CreateObservableUpDownCounter("plaza.sse.connections", () => Volatile.Read(ref liveStreams), "{connection}", "Live order streams (server-sent events) open now.");
    }

    /// <summary>The meter, for the gauges other features register on it.</summary>
    public Meter Meter { get; }

    public void OrderPlaced(string shop) => placed.Add(1, new KeyValuePair<string, object?>("shop", shop));

    public void OrderRefused(string shop, string reason) =>
        refused.Add(1, new KeyValuePair<string, object?>("shop", shop), new KeyValuePair<string, object?>("reason", reason));

    public void OrderAutoRejected(string shop) => autoRejected.Add(1, new KeyValuePair<string, object?>("shop", shop));

    public void BatchWritten(int orders, TimeSpan took)
    {
        batchSize.Record(orders);
        writeSeconds.Record(took.TotalSeconds);
    }

    public void MenuRead(bool hit) => menuCache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void MenuPage(bool hit) => menuPages.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "rendered"));

    public void StreamOpened() => Interlocked.Increment(ref liveStreams);

    public void StreamClosed() => Interlocked.Decrement(ref liveStreams);
}
