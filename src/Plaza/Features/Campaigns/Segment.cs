using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Campaigns;

/// <summary>Whether a segment asks about members' consent to offers.</summary>
public enum SegmentConsent
{
    Any,
    Agreed,
    NotAgreed,
}

/// <summary>
/// An owner's own segment of members, by rules that all must hold: days since the last order (the shop's whole days; a
/// member who never ordered has none, so a rule on it leaves them out), orders and spend in the last
/// <see cref="WindowDays"/>, the tier held now, the channel that brought the first order, and consent. Evaluated when
/// asked (the page's live size, a campaign's send time), so it always means today's members.
/// </summary>
public sealed class Segment : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public required string Name { get; set; }
    public int? MinDaysSinceOrder { get; set; }
    public int? MaxDaysSinceOrder { get; set; }
    public int WindowDays { get; set; } = 90;
    public int? MinOrders { get; set; }
    public int? MaxOrders { get; set; }
    /// <summary>In the shop's minor units.</summary>
    public long? MinSpend { get; set; }
    public int? TierId { get; set; }
    public int? ChannelId { get; set; }
    public SegmentConsent Consent { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Whether a rule asks about orders or spend in the window (only then are the window's orders read).</summary>
    public bool AsksAboutOrdersInWindow => MinOrders is not null || MaxOrders is not null || MinSpend is not null;

    /// <summary>
    /// The ids of the scoped shop's members the rules hold for on <paramref name="now"/>, and of those, the ones a campaign
    /// can reach (an address and consent to offers).
    /// </summary>
    public async Task<(List<long> Members, List<long> Reachable)> MembersAsync(PlazaDb db, DateTimeZone zone, DateTime now, CancellationToken ct)
    {
        var members = await db.Members.AsNoTracking().Select(m => new { m.Id, m.Email, Agreed = m.MarketingConsentAt != null }).ToListAsync(ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.MemberId != null)
            .Select(c => new { c.Id, MemberId = c.MemberId!.Value, c.LastOrderAt, c.FirstChannelId }).ToDictionaryAsync(c => c.MemberId, ct);
        Dictionary<long, (int Orders, long Spend)> inWindow = [];
        if (AsksAboutOrdersInWindow)
        {
            var since = now.AddDays(-WindowDays);
            var memberOf = customers.Values.ToDictionary(c => c.Id, c => c.MemberId);
            inWindow = (await CustomerBook.Counted(db.Orders.AsNoTracking()).Where(o => o.CustomerId != null && o.PlacedAt >= since)
                    .GroupBy(o => o.CustomerId!.Value).Select(g => new { Customer = g.Key, Orders = g.Count(), Spend = g.Sum(o => o.Total - o.RefundedTotal) }).ToListAsync(ct))
                .Where(x => memberOf.ContainsKey(x.Customer)).ToDictionary(x => memberOf[x.Customer], x => (x.Orders, x.Spend));
        }
        var tiers = TierId is null ? null : await Loyalty.Tier.OfAllAsync(db, now, ct);
        var today = Instant.FromDateTimeUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc)).InZone(zone).Date;
        bool Holds(long id, bool agreed)
        {
            var customer = customers.GetValueOrDefault(id);
            int? days = customer?.LastOrderAt is { } last
                ? Period.Between(Instant.FromDateTimeUtc(DateTime.SpecifyKind(last, DateTimeKind.Utc)).InZone(zone).Date, today, PeriodUnits.Days).Days : null;
            var (orders, spend) = inWindow.GetValueOrDefault(id);
            return (MinDaysSinceOrder is not { } min || days >= min)
                && (MaxDaysSinceOrder is not { } max || days <= max)
                && (MinOrders is not { } least || orders >= least)
                && (MaxOrders is not { } most || orders <= most)
                && (MinSpend is not { } spent || spend >= spent)
                && (TierId is not { } tier || (tiers!.TryGetValue(id, out var held) && held.Id == tier))
                && (ChannelId is not { } channel || customer?.FirstChannelId == channel)
                && Consent switch { SegmentConsent.Agreed => agreed, SegmentConsent.NotAgreed => !agreed, _ => true };
        }
        var matching = members.Where(m => Holds(m.Id, m.Agreed)).ToList();
        return ([.. matching.Select(m => m.Id)], [.. matching.Where(m => m.Agreed && m.Email != null).Select(m => m.Id)]);
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> segment)
    {
        segment.Property(s => s.Name).HasMaxLength(60);
        segment.HasIndex(s => new { s.ShopId, s.Name }).IsUnique();
        segment.HasOne<Catalog.Shop>().WithMany().HasForeignKey(s => s.ShopId).OnDelete(DeleteBehavior.Cascade);
    }
}
