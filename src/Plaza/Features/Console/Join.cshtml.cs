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
    public object[] ErrorArguments { get; private set; } = [];

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
        var invitation = await db.Invitations.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
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
        Account? existing = null;
        Account? created = null;
        if (await db.Accounts.AnyAsync(a => a.Email == email, ct))
        {
            var (result, account, retryAfter) = await accounts.CheckAsync(email, Password, Accounts.ClientAddress(HttpContext), ct);
            if (result == Accounts.SignInResult.TryLater)
            {
                Error = SignInModel.TryLaterMessage;
                ErrorArguments = [(int)Math.Ceiling(retryAfter.TotalMinutes)];
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            }
            if (result != Accounts.SignInResult.Success)
            {
                Error = Text.Say("That e-mail already has an account; enter its password.");
                return Page();
            }
            existing = account;
        }
        else
        {
            if (Name.Trim().Length is 0 or > 80 || !email.Contains('@', StringComparison.Ordinal) || Password.Length < Accounts.MinPasswordLength)
            {
                Error = Text.Say("Give your name, e-mail and a password of at least {0} characters.");
                ErrorArguments = [Accounts.MinPasswordLength];
                return Page();
            }
            created = accounts.New(email, Name.Trim(), Password);
        }

        // One invitation makes one member, also when its link is posted many times at once: the
        // conditional update claims it, and only the request whose update changed the row goes on
        // (PostgreSQL re-checks the condition after the first claim commits; SQLite has one writer).
        // The new account and the membership are written in the same transaction, so a refused
        // request leaves nothing behind and a failed one gives the invitation back.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Invitations.IgnoreQueryFilters([PlazaDb.ShopFilter])
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now), ct);
        if (claimed == 0)
        {
            return NotFound();
        }
        var membership = new Membership { ShopId = invitation.ShopId, Role = invitation.Role };
        if (created is not null)
        {
            created.Memberships.Add(membership);
            db.Accounts.Add(created);
        }
        else if (!await db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(m => m.AccountId == existing!.Id && m.ShopId == invitation.ShopId, ct))
        {
            membership.AccountId = existing!.Id;
            db.Memberships.Add(membership);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (created is not null)
        {
            // The same new e-mail joined through another link a moment ago.
            Error = Text.Say("That e-mail already has an account; enter its password.");
            return Page();
        }
        await transaction.CommitAsync(ct);
        await Accounts.SignInAsync(HttpContext, created ?? existing!);
        return Redirect("/console");
    }
}
