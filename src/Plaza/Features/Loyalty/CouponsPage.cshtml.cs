using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Loyalty;

/// <summary>The owner's coupons: make one (percent, amount or a free item, with its limits), print single-use codes, withdraw.</summary>
[OwnerOnly]
public sealed class CouponsPageModel(PlazaDb db, ShopScope scope, CouponBook book) : PageModel
{
    public List<Coupon> Coupons { get; private set; } = [];
    public List<CouponCode> Printed { get; private set; } = [];
    public Catalog.Shop Shop => scope.Current;
    public Catalog.ShopCatalog Catalog => scope.Catalog;

    /// <summary>The coupon whose uses are shown (<c>?uses=</c>), and its uses with the order's number, newest first.</summary>
    public Coupon? Shown { get; private set; }
    public List<(CouponUse Use, string Number, DateTime PlacedAt)> Uses { get; private set; } = [];

    public async Task OnGetAsync(int? uses, CancellationToken ct)
    {
        Coupons = await db.Coupons.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(ct);
        if (uses is { } id && Coupons.FirstOrDefault(c => c.Id == id) is { } coupon)
        {
            Shown = coupon;
            Uses = [.. (await (from use in db.CouponUses.AsNoTracking()
                               join order in db.Orders.AsNoTracking() on use.OrderId equals order.Id
                               where use.CouponId == id
                               orderby use.Id descending
                               select new { use, order.Number, order.PlacedAt }).Take(200).ToListAsync(ct))
                .Select(u => (u.use, u.Number, u.PlacedAt))];
        }
    }

    /// <param name="kind">percent, amount or item.</param>
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? kind, string? value, int? item, string? minimum, DateOnly? until,
        int? perMember, int? total, string? code, bool stackable, int? category, int? points, CancellationToken ct)
    {
        var zone = new Plaza.Features.Catalog.OpeningSchedule(Shop).Zone;
        var request = new CouponRequest
        {
            Name = name,
            PercentOff = kind == "percent" ? ParseInt(value) : null,
            AmountOff = kind == "amount" ? MinorUnits(value) ?? -1 : null,
            FreeItemId = kind == "item" ? item ?? 0 : null,
            MinimumSpend = string.IsNullOrWhiteSpace(minimum) ? null : MinorUnits(minimum) ?? -1,
            // Valid through the chosen day, in the shop's time zone.
            ValidUntil = until is { } day ? NodaTime.LocalDate.FromDateOnly(day).PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeOffset() : null,
            CategoryIds = category is { } c ? [c] : null,
            PerMemberLimit = perMember,
            TotalLimit = total,
            SharedCode = string.IsNullOrWhiteSpace(code) ? null : code,
            Stackable = stackable,
            PointsCost = points,
        };
        var (_, problem) = await book.CreateAsync(request, ct);
        TempData["Flash"] = problem is null ? Text.Say("Coupon made.") : Problems.Say(problem);
        return Redirect($"/console/{Shop.Slug}/coupons");
    }

    public async Task<IActionResult> OnPostPrintAsync(int id, int count, CancellationToken ct)
    {
        var (codes, problem) = await book.IssueAsync(id, new IssueRequest(null, count), ct);
        if (problem is not null)
        {
            TempData["Flash"] = Problems.Say(problem);
            return Redirect($"/console/{Shop.Slug}/coupons");
        }
        Printed = codes!;
        await OnGetAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(int id, CancellationToken ct)
    {
        await book.WithdrawAsync(id, ct);
        return Redirect($"/console/{Shop.Slug}/coupons");
    }

    public string Local(DateTime utc) => Plaza.Features.Catalog.OpeningSchedule.Local(Shop, utc, "yyyy-MM-dd HH:mm");

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    /// <summary>An amount as staff type it ("50", "49.90", "４９．９０"), in minor units; null when it is not one.</summary>
    private long? MinorUnits(string? typed) => Plaza.Features.Catalog.MenuCsv.MinorUnits(typed ?? "", Currencies.DigitsOf(Shop.Currency));

    public string Describe(Coupon c) => c.Kind switch
    {
        CouponKind.PercentOff => Text.Say("{0} % off", c.Value / 100),
        CouponKind.AmountOff => Text.Say("{0} off", Money(c.Value)),
        _ => Text.Say("a free {0}", c.FreeItemId is { } id && Catalog.Items.TryGetValue(id, out var item) ? item.Name : "?"),
    };

    private static int? ParseInt(string? typed) => int.TryParse(Typed.Plain(typed ?? "").Trim(), out var n) ? n : -1;
}
