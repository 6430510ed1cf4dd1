using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Data;

namespace Plaza.Features.Federation;

/// <summary>
/// A host deliveries have been failing to (no answer or 5xx) since <see cref="FailingSince"/>, with no
/// success in between; one row per host, gone once a delivery succeeds. Kept in the store, unlike the
/// delivery worker's circuit breaker, so every process and a restart see it. After
/// <see cref="FederationOptions.UnavailableAfter"/> the host is marked unavailable (as Mastodon's
/// unavailable domains): nothing is attempted until it sends a signed activity or a probe reaches it.
/// </summary>
public sealed class FailingHost
{
    /// <summary>The host without port, as <see cref="Delivery.Host"/> and blocks name it.</summary>
    public required string Host { get; set; }
    public DateTime FailingSince { get; set; }
    public DateTime LastFailureAt { get; set; }
    public int Failures { get; set; }
    public string? LastError { get; set; }
    /// <summary>Where the probe asks whether the host is back (its NodeInfo links, on the origin deliveries went to).</summary>
    public required string ProbeUrl { get; set; }
    /// <summary>Set when the host has failed for long enough: deliveries to it are given up without an attempt.</summary>
    public DateTime? UnavailableSince { get; set; }
    public DateTime? LastProbeAt { get; set; }
}

internal sealed class FailingHostConfiguration : IEntityTypeConfiguration<FailingHost>
{
    public void Configure(EntityTypeBuilder<FailingHost> host)
    {
        host.HasKey(h => h.Host);
        host.Property(h => h.Host).HasMaxLength(255);
        host.Property(h => h.LastError).HasMaxLength(500);
        host.Property(h => h.ProbeUrl).HasMaxLength(2048);
    }
}

/// <summary>The durable per-host delivery health every process shares (see <see cref="FailingHost"/>).</summary>
public static class HostHealth
{
    public static Task<bool> IsUnavailableAsync(PlazaDb db, string host, CancellationToken ct) =>
        db.FailingHosts.AsNoTracking().AnyAsync(h => h.Host == host && h.UnavailableSince != null, ct);

    /// <summary>
    /// The host answered (a delivery, a signed activity from it, a probe, the operator's clear-host): it is
    /// no longer failing, and the deliveries given up only because it was marked unavailable are queued
    /// again, as far as they are still within the retry window they would have had.
    /// </summary>
    public static async Task<bool> ClearAsync(PlazaDb db, string? host, FederationOptions options, DateTime now, CancellationToken ct)
    {
        // A read first: most hosts are healthy, and a DELETE would take SQLite's write lock for nothing.
        if (host is null || !await db.FailingHosts.AsNoTracking().AnyAsync(h => h.Host == host, ct)
            || await db.FailingHosts.Where(h => h.Host == host).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        var within = now - options.RetryWindow;
        await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(d => d.Host == host && d.DeliveredAt == null && d.FailedAt != null && d.LastError == Unavailable && d.CreatedAt > within)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.FailedAt, (DateTime?)null).SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.LastError, (string?)null), ct);
        return true;
    }

    /// <summary>
    /// Counts a failed delivery (no answer or 5xx). Once the host has failed without a success for
    /// <paramref name="unavailableAfter"/> it is marked unavailable and its queued deliveries are given
    /// up; returns whether this call marked it.
    /// </summary>
    public static async Task<bool> RecordFailureAsync(PlazaDb db, string host, string inbox, string? error, DateTime now, TimeSpan unavailableAfter, CancellationToken ct)
    {
        var probe = new Uri(inbox).GetLeftPart(UriPartial.Authority) + "/.well-known/nodeinfo";
        error = error is { Length: > 500 } ? error[..500] : error;
        if (await UpdateAsync() == 0)
        {
            db.FailingHosts.Add(new FailingHost { Host = host, FailingSince = now, LastFailureAt = now, Failures = 1, LastError = error, ProbeUrl = probe });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another delivery to the same host failed at the same moment and wrote the row first.
                db.ChangeTracker.Clear();
                await UpdateAsync();
            }
        }
        var failingSince = now - unavailableAfter;
        if (await db.FailingHosts.Where(h => h.Host == host && h.UnavailableSince == null && h.FailingSince <= failingSince)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.UnavailableSince, now), ct) == 0)
        {
            return false;
        }
        await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(d => d.Host == host && d.DeliveredAt == null && d.FailedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.FailedAt, now).SetProperty(d => d.LastError, Unavailable), ct);
        return true;

        Task<int> UpdateAsync() => db.FailingHosts.Where(h => h.Host == host).ExecuteUpdateAsync(s => s
            .SetProperty(h => h.LastFailureAt, now)
            .SetProperty(h => h.Failures, h => h.Failures + 1)
            .SetProperty(h => h.LastError, error)
            .SetProperty(h => h.ProbeUrl, probe), ct);
    }

    public const string Unavailable = "The host is marked unavailable on this node (it has failed for too long).";
}
