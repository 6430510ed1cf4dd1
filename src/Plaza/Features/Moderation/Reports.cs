using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>
/// Reports about shops, for the operator: a customer's report of a shop here is stored; one of a
/// shop on another node is stored and sent there as a <c>Flag</c> from the instance actor, through
/// the delivery outbox (when the shop's actor cannot be fetched at that moment, <see cref="PendingFlags"/>
/// tries again with back-off); a <c>Flag</c> another server sends about a shop here is stored.
/// </summary>
public sealed class Reports(
    PlazaDb db, Documents documents, ActorUrls urls, RemoteActors actors, FederationOptions options, TimeProvider clock, FederationSignal signal)
{
    public const int MaxComment = 2000;

    public const string TooMany = "Too many reports from this device; try again in an hour.";

    public static string? Validate(string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? "Say briefly what is wrong."
        : comment.Trim().Length > MaxComment ? $"At most {MaxComment} characters." : null;

    public async Task ReportLocalShopAsync(string slug, string comment, CancellationToken ct)
    {
        db.Reports.Add(new Report { Source = ReportSource.Storefront, ShopSlug = slug, ActorId = urls.Actor(slug), Comment = comment.Trim(), CreatedAt = Now });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What became of a report of a shop on another node.</summary>
    public enum RemoteReport
    {
        /// <summary>The directory does not list that shop (or it is blocked): nothing was kept.</summary>
        UnknownShop,
        /// <summary>Kept, and its Flag queued for the shop's node.</summary>
        Sent,
        /// <summary>Kept; the shop's node could not be reached, so its Flag waits for a retry.</summary>
        Waiting,
    }

    /// <summary>Stores the report and queues a Flag to the shop's node, or schedules one when the node cannot be reached now.</summary>
    public async Task<RemoteReport> ReportRemoteShopAsync(string actorId, string comment, CancellationToken ct)
    {
        if (!await db.KnownShops.AsNoTracking().AnyAsync(s => s.ActorId == actorId, ct) || await actors.IsBlockedAsync(actorId, ct))
        {
            return RemoteReport.UnknownShop;
        }
        var report = new Report { Source = ReportSource.Nearby, ActorId = actorId, Comment = comment.Trim(), CreatedAt = Now };
        db.Reports.Add(report);
        if (await TryGetActorAsync(actorId, ct) is { } remote)
        {
            Forward(report, remote);
        }
        else
        {
            // The shop's node is unreachable now: the report is kept and its Flag queued once the actor resolves.
            report.ForwardAttempts = 1;
            report.ForwardRetryAt = Now + options.RetryDelay(1);
        }
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
        return report.ForwardedActivityId is null ? RemoteReport.Waiting : RemoteReport.Sent;
    }

    /// <summary>Another try at a report whose Flag could not be queued: queued now, rescheduled, or given up after the delivery attempts.</summary>
    public async Task RetryForwardAsync(long reportId, CancellationToken ct)
    {
        var report = await db.Reports.SingleAsync(r => r.Id == reportId, ct);
        if (report.ActorId is not { } actorId || report.ForwardedActivityId is not null || await actors.IsBlockedAsync(actorId, ct))
        {
            report.ForwardRetryAt = null;
        }
        else if (await TryGetActorAsync(actorId, ct) is { } remote)
        {
            Forward(report, remote);
        }
        else if (++report.ForwardAttempts >= options.MaxAttempts)
        {
            report.ForwardRetryAt = null;
        }
        else
        {
            report.ForwardRetryAt = Now + options.RetryDelay(report.ForwardAttempts);
        }
        await db.SaveChangesAsync(ct);
        signal.DeliveriesQueued();
    }

    private async Task<RemoteActor?> TryGetActorAsync(string actorId, CancellationToken ct)
    {
        try
        {
            return await actors.GetAsync(actorId, ct);
        }
        catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    // The report row and its Flag commit together; the outbox retries if the node is down.
    private void Forward(Report report, RemoteActor remote)
    {
        var flagId = $"{urls.InstanceActor}/flags/{Guid.NewGuid():N}";
        Outbox.EnqueueForNode(db, flagId, documents.Flag(flagId, report.ActorId!, report.Comment), [remote.SharedInbox ?? remote.Inbox], Now);
        report.ForwardedActivityId = flagId;
        report.ForwardRetryAt = null;
    }

    /// <summary>A Flag from another server: stored once per reported shop of this node it names; others are ignored.</summary>
    public async Task ReceiveFlagAsync(string reporter, IEnumerable<string?> objects, string? content, CancellationToken ct)
    {
        var comment = PlainText.From(content ?? "");
        foreach (var slug in objects.Select(urls.ShopSlugOf).OfType<string>().Distinct())
        {
            if (await db.Shops.AnyAsync(s => s.Slug == slug, ct))
            {
                db.Reports.Add(new Report
                {
                    Source = ReportSource.Flag,
                    ShopSlug = slug,
                    ActorId = urls.Actor(slug),
                    ReporterActorId = reporter,
                    Comment = comment.Length > MaxComment ? comment[..MaxComment] : comment,
                    CreatedAt = Now,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The latest reports, newest first: what the operator reads in the console and from <c>reports</c>.</summary>
    public Task<List<Report>> LatestAsync(int take, CancellationToken ct) =>
        db.Reports.AsNoTracking().OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);

    /// <summary>Records the operator's answer to a waiting report, and who gave it; false when there is no such report waiting.</summary>
    public async Task<bool> ResolveAsync(long id, ReportResolution resolution, string operatorEmail, CancellationToken ct) =>
        await db.Reports.Where(r => r.Id == id && r.Resolution == null).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Resolution, resolution)
            .SetProperty(r => r.ResolvedAt, Now)
            .SetProperty(r => r.ResolvedBy, operatorEmail), ct) > 0;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
