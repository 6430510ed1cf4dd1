using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Console;

/// <summary>The signed-in person's password and sessions.</summary>
[Authorize]
public sealed class AccountPageModel(Accounts accounts, PlazaDb db) : PageModel
{
    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPasswordAsync(string current, string next, CancellationToken ct)
    {
        var id = ConsoleUser.AccountId(User)!.Value;
        if ((next ?? "").Length < Accounts.MinPasswordLength)
        {
            Message = Text.Say("The new password needs at least {0} characters.", Accounts.MinPasswordLength);
            return Page();
        }
        if (!await accounts.ChangePasswordAsync(id, current ?? "", next!, ct))
        {
            Message = Text.Say("The current password is not right.");
            return Page();
        }
        // The stamp changed, so every other session ends; this one signs in again with the new stamp.
        await Accounts.SignInAsync(HttpContext, await db.Accounts.SingleAsync(a => a.Id == id, ct));
        TempData["Flash"] = Text.Say("Password changed. Other devices are signed out.");
        return Redirect("/console/account");
    }

    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken ct)
    {
        await accounts.SignOutEverywhereAsync(ConsoleUser.AccountId(User)!.Value, ct);
        return Redirect("/console/sign-in");
    }
}
