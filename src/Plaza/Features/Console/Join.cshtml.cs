using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Console;

/// <summary>Accepting an invitation: a new person sets their password, a known one signs in; both join the shop.</summary>
[EnableRateLimiting("sign-in")]
public sealed class JoinModel(PlazaDb db, Accounts accounts, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public string? ShopName { get; private set; }
    public string? Error { get; private set; }

    private async Task<Invitation?> FindAsync(string? token, CancellationToken ct)
    {
        // Model binding turns a blank route value ("/console/join/%20") into null.
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }
        var hash = StaffToken.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        // Invitations are looked up by their secret before any shop is in scope.
        var invitation = await db.Invitations.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now, ct);
        if (invitation is not null)
        {
            ShopName = await db.Shops.Where(s => s.Id == invitation.ShopId).Select(s => s.Name).SingleAsync(ct);
        }
        return invitation;
    }

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken ct) =>
        await FindAsync(token, ct) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken ct)
    {
        var invitation = await FindAsync(token, ct);
        if (invitation is null)
        {
            return NotFound();
        }
        var email = Accounts.Normalize(Email);
        Account? account;
        if (await db.Accounts.AnyAsync(a => a.Email == email, ct))
        {
            var (result, existing) = await accounts.CheckAsync(email, Password, ct);
            if (result != Accounts.SignInResult.Success)
            {
                Error = "That e-mail already has an account; enter its password.";
                return Page();
            }
            account = existing;
        }
        else
        {
            if (Name.Trim().Length is 0 or > 80 || !email.Contains('@', StringComparison.Ordinal) || Password.Length < Accounts.MinPasswordLength)
            {
                Error = $"Give your name, e-mail and a password of at least {Accounts.MinPasswordLength} characters.";
                return Page();
            }
            account = await accounts.CreateAsync(email, Name.Trim(), Password, ct);
        }
        var alreadyMember = await db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .AnyAsync(m => m.AccountId == account!.Id && m.ShopId == invitation.ShopId, ct);
        if (!alreadyMember)
        {
            db.Memberships.Add(new Membership { AccountId = account!.Id, ShopId = invitation.ShopId, Role = invitation.Role });
        }
        invitation.AcceptedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await Accounts.SignInAsync(HttpContext, account!);
        return Redirect("/console");
    }
}
