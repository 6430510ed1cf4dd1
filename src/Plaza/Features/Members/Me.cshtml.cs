using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Ordering;

namespace Plaza.Features.Members;

/// <summary>The member's page: their orders, points, balance and coupons, their passkeys, their consent to offers, their data as JSON, signing out, and deleting the account.</summary>
public sealed class MeModel(Members members, Passkeys passkeys, ShopScope scope, Data.PlazaDb db, TimeProvider clock, Loyalty.CouponBook book) : PageModel
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A past order's lines as the cart keeps them (cart.js), for "Order again".</summary>
    public static string AgainLines(Order order) => JsonSerializer.Serialize(order.Lines.Select(l => new
    {
        itemId = l.ItemId,
        name = l.Name,
        optionIds = l.OptionIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        options = l.Options,
        quantity = l.Quantity,
        unit = l.UnitPrice,
    }));

    public Member Member { get; private set; } = null!;
    public List<Order> Orders { get; private set; } = [];
    public Loyalty.LoyaltyRules Rules { get; private set; } = null!;
    public List<Loyalty.IssuedCodeResponse> Coupons { get; private set; } = [];
    /// <summary>Coupons the shop gives for points.</summary>
    public List<Loyalty.Coupon> Rewards { get; private set; } = [];
    /// <summary>The tier's gift for this month, not yet taken.</summary>
    public Loyalty.Coupon? Gift { get; private set; }
    public Loyalty.Tier? Tier { get; private set; }
    public List<MemberPasskey> Passkeys { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        Member = member;
        Orders = await members.OrdersAsync(member, ct);
        Rules = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.LoyaltyRules, ct) ?? Loyalty.LoyaltyRules.None(member.ShopId);
        Coupons = await Loyalty.LoyaltyApi.CodesAsync(db, member.Id, unusedOnly: true, ct);
        Rewards = await book.RewardsAsync(ct);
        Gift = await book.GiftAsync(member, ct);
        Tier = await Loyalty.Tier.OfAsync(db, member.Id, clock.GetUtcNow().UtcDateTime, ct);
        Passkeys = await passkeys.ListAsync(member, ct);
        return Page();
    }

    /// <summary>Everything the shop holds about the member, as a JSON file.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        var data = await members.ExportAsync(member, ct);
        return File(JsonSerializer.SerializeToUtf8Bytes(data, ExportJson), "application/json", $"{scope.Current.Slug}-member.json");
    }

    public async Task<IActionResult> OnPostOffersAsync(bool offers, CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        await members.SetConsentAsync(member, offers, ct);
        TempData["Flash"] = offers ? Text.Say("You will hear of offers by e-mail.") : Text.Say("No more offers will be e-mailed to you.");
        return Redirect($"/s/{scope.Current.Slug}/me");
    }

    /// <summary>Sets or clears the member's birthday (month and day): the shop's birthday journey greets them on it.</summary>
    public async Task<IActionResult> OnPostBirthdayAsync(int? month, int? day, CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/me");
        }
        if (month is null && day is null)
        {
            await members.SetBirthdayAsync(member, null, null, ct);
            TempData["Flash"] = Text.Say("Your birthday is no longer kept.");
        }
        else if (month is >= 1 and <= 12 && day is >= 1 && day <= DateTime.DaysInMonth(2024, month.Value))
        {
            // 2024 is a leap year: 29 February is a birthday too.
            await members.SetBirthdayAsync(member, month, day, ct);
            TempData["Flash"] = Text.Say("Birthday saved.");
        }
        else
        {
            TempData["Flash"] = Text.Say("That day is not in the month. Choose a month and a day, or neither.");
        }
        return Redirect($"/s/{scope.Current.Slug}/me#birthday");
    }

    /// <summary>Takes a reward: its points go, and a single-use code of it joins the member's coupons.</summary>
    public Task<IActionResult> OnPostExchangeAsync(int id, CancellationToken ct) => TakeAsync(member => book.ExchangeAsync(member, id, ct), ct);

    /// <summary>Takes the tier's gift of the month.</summary>
    public Task<IActionResult> OnPostGiftAsync(CancellationToken ct) => TakeAsync(member => book.TakeGiftAsync(member, ct), ct);

    /// <summary>A reward or a gift taken by the signed-in member: the code to use at checkout, or why not.</summary>
    private async Task<IActionResult> TakeAsync(Func<Member, Task<(Loyalty.CouponCode? Code, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Problem)>> take, CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        var (code, problem) = await take(member);
        TempData["Flash"] = problem is not null ? Problems.Say(problem) : Text.Say("Yours: use the code {0} at checkout.", code!.Code);
        return Redirect($"/s/{scope.Current.Slug}/me");
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync(long id, CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        var mine = await passkeys.ListAsync(member, ct);
        if (member.Email is null && mine is [var only] && only.Id == id)
        {
            // Without an address there is no code to come back with: removing the last passkey would lock them out for good.
            TempData["Flash"] = Text.Say("This passkey is your only way back to your membership (you gave no e-mail address), so it stays. To leave, delete the membership below.");
        }
        else if (await passkeys.RemoveAsync(member, id, ct))
        {
            TempData["Flash"] = Text.Say("The passkey is removed: it no longer signs you in here. Your phone may still list it; you can delete it there.");
        }
        return Redirect($"/s/{scope.Current.Slug}/me");
    }

    public async Task<IActionResult> OnPostSignOutAsync(CancellationToken ct)
    {
        await members.SignOutAsync(HttpContext, await members.CurrentAsync(HttpContext, ct));
        return Redirect($"/s/{scope.Current.Slug}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirm, CancellationToken ct)
    {
        if (await members.CurrentAsync(HttpContext, ct) is not { } member)
        {
            return Redirect($"/s/{scope.Current.Slug}/join");
        }
        if (!confirm)
        {
            TempData["Flash"] = Text.Say("Tick the box to confirm, then delete.");
            return Redirect($"/s/{scope.Current.Slug}/me");
        }
        if (member.Balance > 0)
        {
            // Stored value is the member's money: it is paid back (or spent) before the account can go.
            TempData["Flash"] = Text.Say("Your balance is {0}. Spend it, or ask {1} to pay it back, before you delete your membership.",
                new Money(member.Balance, scope.Current.Currency), scope.Current.Name);
            return Redirect($"/s/{scope.Current.Slug}/me");
        }
        await members.DeleteAsync(HttpContext, member, ct);
        return Redirect($"/s/{scope.Current.Slug}");
    }
}
