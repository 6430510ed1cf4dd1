using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>
/// The gauges read when Prometheus scrapes: the depth of each durable queue (federation deliveries, the inbox,
/// mail, print jobs, push notes), hosts that keep failing, the age of the newest backup and the free disk space.
/// </summary>
public sealed class NodeGauges
{
    public NodeGauges(PlazaMetrics metrics, IServiceScopeFactory scopes, Backups backups, DiskSpace disk, TimeProvider clock)
    {
        metrics.Meter.CreateObservableGauge("plaza.queue.depth", () => Queues(scopes), "{item}", "Work waiting in a durable queue, by queue: deliveries, inbox, mail, print, push.");
        metrics.Meter.CreateObservableGauge("plaza.federation.failing_hosts", () => Count(scopes, db => db.FailingHosts.Count()), "{host}", "Remote hosts whose deliveries keep failing.");
        metrics.Meter.CreateObservableGauge("plaza.backup.age", () => backups.Newest() is { } newest ? [new Measurement<double>((clock.GetUtcNow() - newest).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Seconds since the newest backup in the backup directory was written (absent while there is none).");
        metrics.Meter.CreateObservableGauge("plaza.disk.free", () => disk.Free() is { } free ? [new Measurement<long>(free)] : Array.Empty<Measurement<long>>(),
            "By", "Free bytes on the data directory's disk.");
    }

    private static IEnumerable<Measurement<long>> Queues(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        return
        [
            Depth("deliveries", db.Deliveries.IgnoreQueryFilters().Count(d => d.DeliveredAt == null && d.FailedAt == null)),
            Depth("inbox", db.InboxActivities.Count(a => a.ProcessedAt == null)),
            Depth("mail", db.OutboxMails.Count(m => m.SentAt == null && m.GaveUpAt == null)),
            Depth("print", db.PrintJobs.IgnoreQueryFilters().Count(j => j.PrintedAt == null && j.GaveUpAt == null)),
            Depth("push", db.PushNotes.IgnoreQueryFilters().Count(n => n.SentAt == null && n.GaveUpAt == null)),
        ];
    }

    private static Measurement<long> Depth(string queue, int count) => new(count, new KeyValuePair<string, object?>("queue", queue));

    private static long Count(IServiceScopeFactory scopes, Func<PlazaDb, int> count)
    {
        using var scope = scopes.CreateScope();
        return count(scope.ServiceProvider.GetRequiredService<PlazaDb>());
    }
}
