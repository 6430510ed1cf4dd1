using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Federation;
using Plaza.Features.Follows;

namespace Plaza.Features.Hubs;

/// <summary>
/// Neighbourhood hubs (FEP-1b12): the hubs this shop runs, with their members and join requests, and
/// the hubs on any node the shop joined. Runs through <see cref="HubOwner"/> and <see cref="FollowActions"/>,
/// as the token API and the inbox worker do.
/// </summary>
[OwnerOnly]
public sealed class HubsPageModel(HubOwner hubs, FollowActions follows, PlazaDb db, ShopScope scope, ActorUrls urls) : PageModel
{
    public sealed record Joined(string ActorId, bool Accepted);

    public List<HubOwner.HubRow> Running { get; private set; } = [];
    public List<Joined> Memberships { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? Account { get; set; }

    public string ActorOf(Hub hub) => urls.Hub(hub.Name);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Running = await hubs.ListAsync(ct);
        Memberships = await db.Followings.AsNoTracking().Where(f => f.IsHub).OrderBy(f => f.ActorId)
            .Select(f => new Joined(f.ActorId, f.Accepted)).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var created = await hubs.CreateAsync(Name, DisplayName, Summary, ct);
        return created.Hub is not null ? Back()
            : await RefuseAsync(created.Conflict is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
                created.Conflict ?? created.Errors.Values.SelectMany(e => e).First(), ct);
    }

    public async Task<IActionResult> OnPostApprovalAsync(string name, bool approve, CancellationToken ct) =>
        await hubs.SetApprovalAsync(name, approve, ct) ? Back() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct) =>
        await hubs.ApproveAsync(id, ct) ? Back() : NotFound();

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct) =>
        await hubs.RemoveAsync(id, ct) ? Back() : NotFound();

    /// <summary>Joins a hub on any node, by its handle (name@host) or its URL: the shop follows the hub's Group actor.</summary>
    public async Task<IActionResult> OnPostJoinAsync(CancellationToken ct)
    {
        var followed = await follows.FollowAsync(Account, ct, isHub: true);
        return followed.Following is not null ? Back()
            : await RefuseAsync(followed.Refusal is null ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden,
                followed.Refusal ?? followed.Errors.Values.SelectMany(e => e).First(), ct);
    }

    public async Task<IActionResult> OnPostLeaveAsync(string actor, CancellationToken ct) =>
        await db.Followings.AnyAsync(f => f.ActorId == actor && f.IsHub, ct) && await follows.UnfollowAsync(actor, ct) ? Back() : NotFound();

    private async Task<IActionResult> RefuseAsync(int status, string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = status;
        await OnGetAsync(ct);
        return Page();
    }

    private RedirectResult Back() => Redirect($"/console/{scope.Current.Slug}/hubs");
}
