using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

/// <summary>Who works here: members, one-time invitation links (revocable until used), removal.</summary>
[OwnerOnly]
public sealed class StaffModel(PlazaDb db, ShopScope scope, ConsoleMember member, PublicOrigin origin, TimeProvider clock) : PageModel
{
    public sealed record Row(int MembershipId, string Name, string Email, ShopRole Role);

    public sealed record OpenInvitation(int Id, ShopRole Role, DateTime ExpiresAt);

    public List<Row> Members { get; private set; } = [];
    public List<OpenInvitation> Invitations { get; private set; } = [];
    public string? InviteLink { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Members = await db.Memberships.AsNoTracking()
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new Row(m.Id, a.DisplayName, a.Email, m.Role))
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        Invitations = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.ExpiresAt)
            .Select(i => new OpenInvitation(i.Id, i.Role, i.ExpiresAt))
            .ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostInviteAsync(ShopRole role, CancellationToken ct)
    {
        var token = StaffToken.NewToken();
        db.Invitations.Add(new Invitation
        {
            ShopId = scope.ShopId,
            TokenHash = StaffToken.Hash(token),
            Role = role == ShopRole.Owner ? ShopRole.Owner : ShopRole.Staff,
            ExpiresAt = clock.GetUtcNow().UtcDateTime.AddDays(7),
        });
        await db.SaveChangesAsync(ct);
        InviteLink = origin.Link($"/console/join/{token}");
        await OnGetAsync(ct);
        return Page();
    }

    /// <summary>
    /// Withdraws an invitation not yet used (a link sent to the wrong person, or leaked). Deleted, not
    /// marked: a join races this by its own conditional update, so whichever comes first wins.
    /// </summary>
    public async Task<IActionResult> OnPostRevokeInvitationAsync(int id, CancellationToken ct)
    {
        var revoked = await db.Invitations.Where(i => i.Id == id && i.AcceptedAt == null).ExecuteDeleteAsync(ct);
        return revoked == 0 ? NotFound() : Redirect($"/console/{scope.Current.Slug}/staff");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (membership is null)
        {
            return NotFound();
        }
        if (membership.AccountId == member.AccountId)
        {
            TempData["Flash"] = Text.Say("You cannot remove yourself.");
        }
        else
        {
            db.Memberships.Remove(membership);
            await db.SaveChangesAsync(ct);
        }
        return Redirect($"/console/{scope.Current.Slug}/staff");
    }
}
