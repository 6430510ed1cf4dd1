using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Members;
using Plaza.Features.Ordering;

namespace Plaza.Features.Loyalty;

/// <summary>
/// One member at the counter: points, balance and every movement with who made it; staff top up, owners correct with
/// a reason, give a coupon and refund a completed order.
/// </summary>
[StaffOnly]
public sealed class MemberPageModel(PlazaDb db, ShopScope scope, ConsoleMember console, StoredValue stored, CouponBook book, Refunds refunds, TimeProvider clock) : PageModel
{
    public Member Member { get; private set; } = null!;
    public List<LedgerEntry> Ledger { get; private set; } = [];
    public List<Order> Orders { get; private set; } = [];
    public List<Coupon> Coupons { get; private set; } = [];
    public List<IssuedCodeResponse> Codes { get; private set; } = [];
    public LoyaltyRules Rules { get; private set; } = null!;
    public Tier? Tier { get; private set; }
    public bool IsOwner => console.IsOwner;
    public Catalog.Shop Shop => scope.Current;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is not { } member)
        {
            return NotFound();
        }
        Member = member;
        Ledger = await db.Ledger.AsNoTracking().Where(e => e.MemberId == id).OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);
        Orders = await db.Orders.AsNoTracking().Where(o => o.MemberId == id).OrderByDescending(o => o.PlacedAt).Take(50).ToListAsync(ct);
        Coupons = await db.Coupons.AsNoTracking().Where(c => c.WithdrawnAt == null).OrderBy(c => c.Name).ToListAsync(ct);
        Codes = await LoyaltyApi.CodesAsync(db, id, unusedOnly: false, ct);
        Rules = await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(Shop.ProgrammeId);
        Tier = await Tier.OfAsync(db, id, clock.GetUtcNow().UtcDateTime, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTopUpAsync(long id, string? amount, CancellationToken ct)
    {
        var minor = MinorUnits(amount);
        var (_, problem) = await stored.TopUpAsync(id, new TopUpRequest(minor), console.Name, ct);
        TempData["Flash"] = problem is null ? Text.Say("{0} paid onto the balance.", Money(minor ?? 0)) : Problems.Say(problem);
        return Back(id);
    }

    public async Task<IActionResult> OnPostAdjustAsync(long id, string? account, string? amount, string? reason, CancellationToken ct)
    {
        if (!console.IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var value = account == "points" ? long.TryParse(Typed.Plain(amount ?? "").Trim(), out var points) ? points : (long?)null : MinorUnits(amount);
        var (_, problem) = await stored.AdjustAsync(id, new AdjustmentRequest(account, value, reason), console.Name, ct);
        TempData["Flash"] = problem is null ? Text.Say("Corrected.") : Problems.Say(problem);
        return Back(id);
    }

    public async Task<IActionResult> OnPostGiveAsync(long id, int coupon, CancellationToken ct)
    {
        if (!console.IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var (codes, problem) = await book.IssueAsync(coupon, new IssueRequest(id, 1), ct);
        TempData["Flash"] = problem is null ? Text.Say("Code {0} is theirs; it shows on their member page.", codes![0].Code) : Problems.Say(problem);
        return Back(id);
    }

    public async Task<IActionResult> OnPostRefundAsync(long id, Guid order, string? amount, string? reason, CancellationToken ct)
    {
        if (!console.IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var (_, problem) = await refunds.RefundAsync(order, new RefundRequest(string.IsNullOrWhiteSpace(amount) ? null : MinorUnits(amount) ?? -1, reason), console.Name, ct);
        TempData["Flash"] = problem is null ? Text.Say("Refunded.") : Problems.Say(problem);
        return Back(id);
    }

    public string Money(long amount) => Currencies.Format(new Money(amount, Shop.Currency));

    /// <summary>An amount as staff type it ("50", "49.90", "４９．９０"), in minor units; null when it is not one.</summary>
    private long? MinorUnits(string? typed) => Plaza.Features.Catalog.MenuCsv.MinorUnits(typed ?? "", Currencies.DigitsOf(Shop.Currency));

    public static string KindName(LedgerKind kind) => kind switch
    {
        LedgerKind.Earned => Text.Key("Earned"),
        LedgerKind.Redeemed => Text.Key("Used on an order"),
        LedgerKind.Returned => Text.Key("Given back"),
        LedgerKind.Reversed => Text.Key("Reversed by a refund"),
        LedgerKind.Expired => Text.Key("Expired"),
        LedgerKind.TopUp => Text.Key("Top-up"),
        LedgerKind.Bonus => Text.Key("Top-up bonus"),
        LedgerKind.Spent => Text.Key("Paid an order"),
        _ => Text.Key("Correction"),
    };



    private RedirectResult Back(long id) => Redirect($"/console/{Shop.Slug}/members/{id}");
}
