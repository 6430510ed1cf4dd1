using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;

namespace Plaza.Features.Loyalty;

/// <summary>
/// How a shop's members earn and spend points and top up their balance. A shop without a row has points off
/// and takes no top-up offers; the balance itself works without rules.
/// </summary>
public sealed class LoyaltyRules : IProgrammeOwned
{
    public int ShopId { get; set; }
    /// <summary>Points per whole currency unit paid for items after discounts (¥1, €1); 0 turns earning by spend off.</summary>
    public int PointsPerUnit { get; set; }
    /// <summary>Points for every completed order, whatever its size.</summary>
    public int PointsPerVisit { get; set; }
    /// <summary>Points that take one whole currency unit off an order; 0 means points cannot be redeemed.</summary>
    public int PointsPerUnitOff { get; set; }
    /// <summary>Days after which earned points lapse unspent; 0 for never.</summary>
    public int PointsExpireAfterDays { get; set; }
    /// <summary>Top-up offers as "amount:bonus;…" in minor units, e.g. "50000:5000" for "top up 500, get 50".</summary>
    public string TopUpOffers { get; set; } = "";
    /// <summary>Extra points for each unit of an item ordered, as "itemId:points;…" (a dish the shop wants to push).</summary>
    public string BonusItems { get; set; } = "";

    /// <summary>Bonus items a programme may have at most.</summary>
    public const int MaxBonusItems = 20;

    public static LoyaltyRules None(int shopId) => new() { ShopId = shopId };

    /// <summary>Checks and stores the shop's rules (the owner's page and the API alike); the field errors instead when they do not hold.</summary>
    public static async Task<(LoyaltyRules? Rules, Dictionary<string, string[]> Invalid)> SaveAsync(Data.PlazaDb db, int shopId, LoyaltyRulesDto request, CancellationToken ct)
    {
        var invalid = new Dictionary<string, string[]>();
        var offers = request.TopUpOffers ?? [];
        if (new[] { request.PointsPerUnit, request.PointsPerVisit, request.PointsPerUnitOff, request.PointsExpireAfterDays }.Any(n => n is < 0 or > 100_000))
        {
            invalid["pointsPerUnit"] = [Text.Say("Points and days are whole numbers from 0 to 100000.")];
        }
        if (offers.Count > 10 || offers.Any(o => o.Amount is <= 0 or > StoredValue.MaxTopUp || o.Bonus < 0 || o.Bonus > o.Amount))
        {
            invalid["topUpOffers"] = [Text.Say("Up to 10 offers, each an amount above zero and a bonus of at most that amount.")];
        }
        if (invalid.Count > 0)
        {
            return (null, invalid);
        }
        var rules = await db.LoyaltyRules.FirstOrDefaultAsync(ct);
        if (rules is null)
        {
            rules = None(shopId);
            db.LoyaltyRules.Add(rules);
        }
        (rules.PointsPerUnit, rules.PointsPerVisit, rules.PointsPerUnitOff, rules.PointsExpireAfterDays) =
            (request.PointsPerUnit, request.PointsPerVisit, request.PointsPerUnitOff, request.PointsExpireAfterDays);
        rules.TopUpOffers = string.Join(';', offers.OrderBy(o => o.Amount).Select(o => $"{o.Amount}:{o.Bonus}"));
        await db.SaveChangesAsync(ct);
        return (rules, invalid);
    }

    public bool EarnsPoints => PointsPerUnit > 0 || PointsPerVisit > 0 || BonusItems.Length > 0;

    public IReadOnlyList<(long Amount, long Bonus)> Offers =>
        [.. TopUpOffers.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(o => o.Split(':'))
            .Where(p => p.Length == 2 && long.TryParse(p[0], out _) && long.TryParse(p[1], out _))
            .Select(p => (long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(o => o.Item1)];

    /// <summary>The bonus a top-up of <paramref name="amount"/> earns: that of the largest offer it reaches.</summary>
    public long BonusFor(long amount) => Offers.LastOrDefault(o => o.Amount <= amount).Bonus;

    /// <summary>Item id to the extra points each unit of it earns.</summary>
    public IReadOnlyDictionary<int, int> Bonuses =>
        BonusItems.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(b => b.Split(':'))
            .Where(p => p.Length == 2 && int.TryParse(p[0], out _) && int.TryParse(p[1], out _))
            .ToDictionary(p => int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sets the extra points of <paramref name="itemId"/> (0 removes it).</summary>
    public void SetBonus(int itemId, int points)
    {
        var bonuses = Bonuses.Where(b => b.Key != itemId).Select(b => (b.Key, b.Value)).ToList();
        if (points > 0)
        {
            bonuses.Add((itemId, points));
        }
        BonusItems = string.Join(';', bonuses.OrderBy(b => b.Key).Select(b => $"{b.Key}:{b.Value}"));
    }

    /// <summary>
    /// Points a completed order earns: on <paramref name="paidForItems"/> (minor units, after discounts), for the visit, and the
    /// bonus of each of its <paramref name="lines"/>' items.
    /// </summary>
    public long PointsFor(long paidForItems, string currency, IEnumerable<(int ItemId, int Quantity)> lines)
    {
        var unit = (long)Math.Pow(10, Currencies.DigitsOf(currency));
        var bonuses = Bonuses;
        var bonus = lines.Sum(l => bonuses.TryGetValue(l.ItemId, out var points) ? (long)points * l.Quantity : 0);
        return (Math.Max(0, paidForItems) / unit * PointsPerUnit) + PointsPerVisit + bonus;
    }

    /// <summary>The amount (minor units) that <paramref name="points"/> take off; whole units only.</summary>
    public long ValueOf(long points, string currency) =>
        PointsPerUnitOff <= 0 ? 0 : points / PointsPerUnitOff * (long)Math.Pow(10, Currencies.DigitsOf(currency));
}

internal sealed class LoyaltyRulesConfiguration : IEntityTypeConfiguration<LoyaltyRules>
{
    public void Configure(EntityTypeBuilder<LoyaltyRules> rules)
    {
        rules.HasKey(r => r.ShopId);
        rules.HasOne<Catalog.Shop>().WithOne().HasForeignKey<LoyaltyRules>(r => r.ShopId).OnDelete(DeleteBehavior.Cascade);
        rules.Property(r => r.TopUpOffers).HasMaxLength(200);
        rules.Property(r => r.BonusItems).HasMaxLength(400);
    }
}
