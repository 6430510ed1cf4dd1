using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Channels;

/// <summary>
/// The shop's channels: the named ones the owner makes ("door-poster", "wechat-group"), each with its
/// tracked link and QR code, and the automatic ones Plaza counts by itself.
/// </summary>
[OwnerOnly]
public sealed class ChannelsModel(PlazaDb db, ShopScope scope, OrderLinks links, TimeProvider clock, IStringLocalizer<Text> text) : PageModel
{
    public const int MaxNameLength = 80;

    public List<Channel> Named { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public OrderLinks Links => links;
    public string Slug => scope.Current.Slug;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The referral reward as the owner types it ("5", "2.5 %", "５％").</summary>
    [BindProperty]
    public string? Reward { get; set; }

    /// <summary>The highest reward: half of an order.</summary>
    public const int MaxRewardBasisPoints = 5000;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Named = await db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Named).OrderBy(c => c.Retired).ThenBy(c => c.Name).ToListAsync(ct);
        Reward ??= BasisPoints.Format(scope.Current.ReferralRewardBasisPoints);
    }

    public async Task<IActionResult> OnPostRewardAsync(CancellationToken ct)
    {
        if (BasisPoints.Parse(Reward, MaxRewardBasisPoints) is not { } reward)
        {
            Errors["Reward"] = text["A reward is a percentage between 0 and {0} %.", MaxRewardBasisPoints / 100];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        await db.Shops.Where(s => s.Id == scope.ShopId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReferralRewardBasisPoints, reward), ct);
        TempData["Flash"] = text["Settings saved."].Value;
        return Redirect($"/console/{Slug}/channels");
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var name = Name?.Trim() ?? "";
        // Codes are typed on phones too: full-width letters and an upper case are taken as meant.
        var code = Typed.Plain(Code).Trim().ToLowerInvariant();
        if (name.Length is 0 or > MaxNameLength)
        {
            Errors["Name"] = text["Give a name of 1 to {0} characters.", MaxNameLength];
        }
        if (code.Length == 0)
        {
            code = ChannelCodes.FromName(name);
            if (code.Length == 0 || ChannelCodes.Problem(code) is not null)
            {
                code = "ch-" + ChannelCodes.NewShare()[2..]; // a name in Chinese makes no code of its own
            }
        }
        else if (ChannelCodes.Problem(code) is { } problem)
        {
            Errors["Code"] = text[problem];
        }
        if (Errors.Count == 0 && await db.Channels.AnyAsync(c => c.Code == code, ct))
        {
            Errors["Code"] = text["Another channel has the code {0}.", code];
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await OnGetAsync(ct);
            return Page();
        }
        db.Channels.Add(new Channel { ShopId = scope.ShopId, Kind = ChannelKind.Named, Code = code, Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Added {0}.", name].Value;
        return Redirect($"/console/{Slug}/channels#channel-{code}");
    }

    public Task<IActionResult> OnPostRetireAsync(int id, CancellationToken ct) => SetRetiredAsync(id, true, ct);

    public Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct) => SetRetiredAsync(id, false, ct);

    private async Task<IActionResult> SetRetiredAsync(int id, bool retired, CancellationToken ct)
    {
        var changed = await db.Channels.Where(c => c.Id == id && c.Kind == ChannelKind.Named)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Retired, retired), ct);
        return changed == 0 ? NotFound() : Redirect($"/console/{Slug}/channels");
    }
}
