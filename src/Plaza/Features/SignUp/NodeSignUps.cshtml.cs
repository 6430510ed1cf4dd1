using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Mail;

namespace Plaza.Features.SignUp;

/// <summary>
/// The operator's sign-ups: whether anyone may ask to open a shop here (off until the operator turns it on),
/// the confirmed requests waiting for an answer, and the latest answers.
/// </summary>
[OperatorOnly]
public sealed class NodeSignUpsModel(PlazaDb db, SignUps signUps, Outbox outbox, IStringLocalizer<Text> text) : PageModel
{
    public bool Open { get; private set; }
    public bool MailConfigured => outbox.CanSend;
    public List<SignUpRequest> Waiting { get; private set; } = [];
    public List<SignUpRequest> Decided { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Open = await db.NodeSettings.AsNoTracking().AnyAsync(s => s.OpenSignUp, ct);
        Waiting = await db.SignUpRequests.AsNoTracking().Where(r => r.State == SignUpState.Verified).OrderBy(r => r.VerifiedAt).Take(200).ToListAsync(ct);
        Decided = await db.SignUpRequests.AsNoTracking().Where(r => r.State == SignUpState.Approved || r.State == SignUpState.Declined)
            .OrderByDescending(r => r.DecidedAt).Take(50).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostSettingAsync(bool open, CancellationToken ct)
    {
        if (await db.NodeSettings.FirstOrDefaultAsync(ct) is { } settings)
        {
            settings.OpenSignUp = open;
        }
        else
        {
            db.NodeSettings.Add(new NodeSettings { OpenSignUp = open });
        }
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Settings saved."].Value;
        return Redirect("/console/node/sign-ups");
    }

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct) => DecideAsync(id, approve: true, ct);

    public Task<IActionResult> OnPostDeclineAsync(long id, CancellationToken ct) => DecideAsync(id, approve: false, ct);

    private async Task<IActionResult> DecideAsync(long id, bool approve, CancellationToken ct)
    {
        TempData["Flash"] = await signUps.DecideAsync(id, approve, User.FindFirstValue(ClaimTypes.Email) ?? "", ct) switch
        {
            SignUps.Decision.Done => approve ? text["Approved: the shop is open and its owner has been told."].Value : text["Declined; the asker has been told."].Value,
            SignUps.Decision.Taken => text["That web address or e-mail was taken since the request was made; decline it, and they can ask again."].Value,
            _ => text["That request is not waiting for an answer any more."].Value,
        };
        return Redirect("/console/node/sign-ups");
    }
}
