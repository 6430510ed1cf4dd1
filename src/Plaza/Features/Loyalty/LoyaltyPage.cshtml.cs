using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Loyalty;

/// <summary>The owner's points rules, top-up offers ("top up 500, get 50"), tiers, and the shops linked into one programme.</summary>
[OwnerOnly]
public sealed class LoyaltyPageModel(PlazaDb db, ShopScope scope, Programmes programmes) : PageModel
{
    public LoyaltyRules Rules { get; private set; } = null!;
    public List<Tier> Tiers { get; private set; } = [];
    /// <summary>The shops of this shop's programme, the one they are linked into first (just this shop when it runs its own).</summary>
    public List<Catalog.Shop> Programme { get; private set; } = [];
    /// <summary>The owner's other shops that could be linked in.</summary>
    public List<Catalog.Shop> Candidates { get; private set; } = [];
    /// <summary>The shop's coupons in force, one of which a tier may give each month.</summary>
    public List<Coupon> Coupons { get; private set; } = [];
    public Catalog.Shop Shop => scope.Current;
    public Catalog.ShopCatalog Catalog => scope.Catalog;

    /// <summary>An item's name on this shop's menu; an item of another shop of the programme by its number.</summary>
    public string ItemName(int id) => Catalog.Items.TryGetValue(id, out var item) ? item.Name : Text.Say("item {0} (another shop)", id);
    public long Unit => (long)Math.Pow(10, Currencies.DigitsOf(Shop.Currency));

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rules = await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(Shop.ProgrammeId);
        Tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.PercentOff).ThenBy(t => t.Threshold).ToListAsync(ct);
        Programme = await programmes.ShopsAsync(ct);
        Candidates = await programmes.CandidatesAsync(ct);
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.WithdrawnAt == null).OrderBy(c => c.Name).ToListAsync(ct);
    }

    /// <summary>Extra points for each unit of an item; 0 points takes the item off the list.</summary>
    public async Task<IActionResult> OnPostBonusAsync(int item, int points, CancellationToken ct)
    {
        var rules = await db.LoyaltyRules.FirstOrDefaultAsync(ct);
        var known = rules?.Bonuses.ContainsKey(item) == true;
        if (points is < 0 or > 100_000 || !known && (!scope.Catalog.Items.ContainsKey(item) || points == 0)
            || !known && rules?.Bonuses.Count >= LoyaltyRules.MaxBonusItems)
        {
            TempData["Flash"] = Text.Say("Choose an item on the menu and 1 to 100000 points; up to {0} items earn extra.", LoyaltyRules.MaxBonusItems);
            return Redirect($"/console/{Shop.Slug}/loyalty#bonus");
        }
        if (rules is null)
        {
            rules = LoyaltyRules.None(Shop.ProgrammeId);
            db.LoyaltyRules.Add(rules);
        }
        rules.SetBonus(item, points);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Saved.");
        return Redirect($"/console/{Shop.Slug}/loyalty#bonus");
    }

    public async Task<IActionResult> OnPostLinkAsync(string? slug, CancellationToken ct)
    {
        TempData["Flash"] = await programmes.LinkAsync(slug ?? "", ct) ?? Text.Say("Linked: members, points and balances now count in both shops.");
        return Redirect($"/console/{Shop.Slug}/loyalty#programme");
    }

    public async Task<IActionResult> OnPostUnlinkAsync(string? slug, CancellationToken ct)
    {
        TempData["Flash"] = await programmes.UnlinkAsync(slug ?? "", ct) ?? Text.Say("Unlinked: that shop now runs a programme of its own; the members stay here.");
        return Redirect($"/console/{Shop.Slug}/loyalty#programme");
    }

    /// <param name="threshold">Orders, or an amount spent in whole currency units, by <paramref name="measure"/>.</param>
    /// <param name="gift">A coupon of this shop the member may take once a month while holding the tier.</param>
    public async Task<IActionResult> OnPostAddTierAsync(string? name, TierMeasure measure, string? threshold, int windowDays, int percentOff, int? gift, CancellationToken ct)
    {
        name = name?.Trim();
        var typed = Typed.Plain(threshold ?? "").Trim();
        var amount = decimal.TryParse(typed, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : -1;
        if (string.IsNullOrEmpty(name) || name.Length > 40 || amount <= 0 || windowDays is < 1 or > 3660 || percentOff is < 0 or > 100
            || percentOff == 0 && gift is null || gift is { } coupon && !await db.Coupons.AnyAsync(c => c.Id == coupon && c.WithdrawnAt == null, ct)
            || await db.Tiers.CountAsync(ct) >= 10)
        {
            TempData["Flash"] = Text.Say("A tier has a name of up to 40 characters, a threshold above zero, a window of 1 to 3660 days and 1 to 100 % off (0 with a monthly gift); a shop has up to 10.");
            return Redirect($"/console/{Shop.Slug}/loyalty");
        }
        db.Tiers.Add(new Tier
        {
            ShopId = Shop.ProgrammeId,
            Name = name,
            Measure = measure,
            Threshold = measure == TierMeasure.Orders ? (long)amount : (long)(amount * Unit),
            WindowDays = windowDays,
            PercentOff = percentOff,
            GiftCouponId = gift,
        });
        await db.SaveChangesAsync(ct);
        return Redirect($"/console/{Shop.Slug}/loyalty");
    }

    public async Task<IActionResult> OnPostRemoveTierAsync(int id, CancellationToken ct)
    {
        await db.Tiers.Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        return Redirect($"/console/{Shop.Slug}/loyalty");
    }

    /// <param name="offers">One offer per line, "500 50" or "500:50" (amount paid, bonus), in whole currency units.</param>
    public async Task<IActionResult> OnPostAsync(int perUnit, int perVisit, int perUnitOff, int expireDays, string? offers, CancellationToken ct)
    {
        var parsed = new List<(long Amount, long Bonus)>();
        foreach (var line in Typed.Plain(offers ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split([' ', ':', '/', '，', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !decimal.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var amount)
                || !decimal.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var bonus) || amount <= 0 || bonus < 0 || bonus > amount)
            {
                TempData["Flash"] = Text.Say("Write each offer as the amount paid and the bonus, e.g. \"500 50\"; \"{0}\" is not one.", line);
                return Redirect($"/console/{Shop.Slug}/loyalty");
            }
            parsed.Add(((long)(amount * Unit), (long)(bonus * Unit)));
        }
        var (_, invalid) = await LoyaltyRules.SaveAsync(db, Shop.ProgrammeId,
            new LoyaltyRulesDto(perUnit, perVisit, perUnitOff, expireDays, [.. parsed.Select(p => new TopUpOfferDto(p.Amount, p.Bonus))]), ct);
        if (invalid.Count > 0)
        {
            TempData["Flash"] = Problems.Say(Problems.Invalid(invalid));
            return Redirect($"/console/{Shop.Slug}/loyalty");
        }
        TempData["Flash"] = Text.Say("Saved.");
        return Redirect($"/console/{Shop.Slug}/loyalty");
    }
}
