using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Features.Console;

namespace Plaza.Features.Moderation;

/// <summary>
/// The operator's blocks, through <see cref="NodeModeration"/> as the shell commands go: a block purges
/// follows both ways, stored activities, cached actors and directory entries exactly as <c>block-domain</c> does.
/// </summary>
[OperatorOnly]
public sealed class BlocksModel(NodeModeration moderation) : PageModel
{
    public List<NodeModeration.Block> Blocks { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Blocks = await moderation.ListAsync(ct);

    public async Task<IActionResult> OnPostDomainAsync(CancellationToken ct)
    {
        try
        {
            var removed = await moderation.BlockDomainAsync(Target ?? "", Blank(Reason), ct);
            TempData["Flash"] = Describe(NodeModeration.NormalizeDomain(Target ?? ""), removed);
            return Back();
        }
        catch (ArgumentException)
        {
            return await RefuseAsync("That is not a domain name.", ct);
        }
    }

    public async Task<IActionResult> OnPostActorAsync(CancellationToken ct)
    {
        var actorId = Target?.Trim() ?? "";
        if (!NodeModeration.IsActorId(actorId) || actorId.Length > 2048)
        {
            return await RefuseAsync("Give the account's actor URL (https://…).", ct);
        }
        TempData["Flash"] = Describe(actorId, await moderation.BlockActorAsync(actorId, Blank(Reason), ct));
        return Back();
    }

    public async Task<IActionResult> OnPostUnblockDomainAsync(string target, CancellationToken ct)
    {
        try
        {
            return await moderation.UnblockDomainAsync(target, ct) ? Back() : NotFound();
        }
        catch (ArgumentException)
        {
            return NotFound();
        }
    }

    public async Task<IActionResult> OnPostUnblockActorAsync(string target, CancellationToken ct) =>
        await moderation.UnblockActorAsync(target, ct) ? Back() : NotFound();

    private async Task<IActionResult> RefuseAsync(string error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(ct);
        return Page();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Describe(string target, NodeModeration.Removed removed) =>
        $"Blocked {target}: removed {removed.Followers} follower(s), {removed.Follows} follow(s), {removed.Activities} stored activit(ies), {removed.DirectoryEntries} directory entr(ies).";

    private RedirectResult Back() => Redirect("/console/node/blocks");
}
