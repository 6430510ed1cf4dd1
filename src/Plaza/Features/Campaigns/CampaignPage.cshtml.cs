using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Campaigns;

/// <summary>One campaign's results over a window after it was sent: both groups, the lift with its interval, as a chart and a table.</summary>
[OwnerOnly]
public sealed class CampaignPageModel(PlazaDb db, ShopScope scope) : PageModel
{
    public Catalog.Shop Shop => scope.Current;
    public CampaignResult? Result { get; private set; }

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 14;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } campaign)
        {
            return NotFound();
        }
        Days = Math.Clamp(Days, 1, 365);
        Result = await CampaignResult.ForAsync(db, campaign, Days, ct);
        return Page();
    }

    public string Money(double minor) => Lift.Show(minor, Shop.Currency);

    public static string TwoPlaces(double value) => value.ToString("0.00", CultureInfo.CurrentCulture);

    /// <summary>What the numbers say, in a sentence an owner reads first.</summary>
    public string Summary(CampaignResult r) => r.Lift switch
    {
        null => Text.Say("Too few members in a group to measure yet: each group needs at least two."),
        { Measurable: true, Difference: > 0 } lift => Text.Say("It worked: members who got the offer spent {0} more each than those held out (95 % interval {1} to {2}), about {3} more in all; after the discounts given ({4}), {5}.",
            Money(lift.Difference), Money(lift.Low), Money(lift.High), Money(r.Incremental), Money(r.Discounts), Money(r.Net)),
        { Measurable: true } lift => Text.Say("Members who got the offer spent {0} less each than those held out (95 % interval {1} to {2}).",
            Money(-lift.Difference), Money(lift.Low), Money(lift.High)),
        var lift => Text.Say("No measurable effect: the difference of {0} per member could be chance (95 % interval {1} to {2} includes zero).",
            Money(lift.Difference), Money(lift.Low), Money(lift.High)),
    };

    /// <summary>
    /// The chart's scale: the largest of the two means and the interval's ends (as a level above the hold-out's mean), so every
    /// bar and whisker fits in 300 units.
    /// </summary>
    public double Scale(CampaignResult r) => new[] { r.TreatedRevenue, r.HoldoutRevenue, r.HoldoutRevenue + (r.Lift?.High ?? 0), 1 }.Max() / 300;
}
