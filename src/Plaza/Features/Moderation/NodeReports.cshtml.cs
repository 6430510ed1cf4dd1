using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Plaza.Features.Console;

namespace Plaza.Features.Moderation;

/// <summary>
/// The operator's reports: customers' reports from this node's storefronts and the directory, and
/// Flags other servers sent, newest first; each can be resolved or dismissed, recording who and when.
/// </summary>
[OperatorOnly]
public sealed class NodeReportsModel(Reports reports) : PageModel
{
    public List<Report> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Reports = await reports.LatestAsync(200, ct);

    public Task<IActionResult> OnPostResolveAsync(long id, CancellationToken ct) => AnswerAsync(id, ReportResolution.Resolved, ct);

    public Task<IActionResult> OnPostDismissAsync(long id, CancellationToken ct) => AnswerAsync(id, ReportResolution.Dismissed, ct);

    private async Task<IActionResult> AnswerAsync(long id, ReportResolution resolution, CancellationToken ct) =>
        await reports.ResolveAsync(id, resolution, User.FindFirstValue(ClaimTypes.Email) ?? "", ct)
            ? Redirect("/console/node/reports")
            : NotFound();

    /// <summary>The reporting server's host; a customer here stays anonymous.</summary>
    public static string? ReporterHost(Report report) => report.ReporterActorId is null ? null : Federation.FederationHttp.HostOf(report.ReporterActorId);
}
