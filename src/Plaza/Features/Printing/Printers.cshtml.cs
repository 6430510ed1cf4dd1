using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Printing;

/// <summary>
/// The shop's network printers: where each one is (address and port on the shop's network), its paper, whether it
/// prints the kitchen's tickets (for some categories: drinks to the bar, food to the kitchen) or the counter's
/// receipts, and when (on accept or on arrival); with each one's state.
/// </summary>
[OwnerOnly]
public sealed class PrintersModel(PlazaDb db, ShopScope scope, PrintWorker worker, TimeProvider clock, IOptions<PrintingOptions> options) : PageModel
{
    public sealed class PrinterInput
    {
        public string Name { get; set; } = "";
        public string Host { get; set; } = "";
        public int Port { get; set; } = Printer.DefaultPort;
        public int PaperWidth { get; set; } = 80;
        public PrinterRole Role { get; set; }
        public PrintMoment PrintOn { get; set; }
        public List<int> CategoryIds { get; set; } = [];
    }

    [BindProperty]
    public PrinterInput Input { get; set; } = new();

    public List<Printer> Printers { get; private set; } = [];
    public IReadOnlyList<Category> Categories => scope.Catalog.Categories;
    public Dictionary<string, string> Errors { get; } = [];
    public string Slug => scope.Current.Slug;
    public string Ports => options.Value.Ports;

    public async Task OnGetAsync(CancellationToken ct) =>
        Printers = await db.Set<Printer>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!Valid())
        {
            return await InvalidAsync(ct);
        }
        var printer = new Printer { ShopId = scope.ShopId, Name = "", Host = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
        Apply(printer);
        db.Add(printer);
        await db.SaveChangesAsync(ct);
        worker.Printing(scope.ShopId);
        TempData["Flash"] = Text.Say("Saved {0}.", printer.Name);
        return Redirect($"/console/{Slug}/printers");
    }

    public async Task<IActionResult> OnPostSaveAsync(int id, CancellationToken ct)
    {
        var printer = await db.Set<Printer>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (printer is null)
        {
            return NotFound();
        }
        if (!Valid())
        {
            return await InvalidAsync(ct);
        }
        Apply(printer);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = Text.Say("Saved {0}.", printer.Name);
        return Redirect($"/console/{Slug}/printers#printer-{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        var name = await db.Set<Printer>().Where(p => p.Id == id).Select(p => p.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return NotFound();
        }
        await db.Set<PrintJob>().Where(j => j.PrinterId == id).ExecuteDeleteAsync(ct);
        await db.Set<Printer>().Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        TempData["Flash"] = Text.Say("Deleted {0}.", name);
        return Redirect($"/console/{Slug}/printers");
    }

    private async Task<IActionResult> InvalidAsync(CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(ct);
        return Page();
    }

    private void Apply(Printer printer)
    {
        printer.Name = Input.Name.Trim();
        printer.Host = Typed.Plain(Input.Host).Trim();
        printer.Port = Input.Port;
        printer.PaperWidth = Input.PaperWidth;
        printer.Role = Input.Role;
        printer.PrintOn = Input.PrintOn;
        printer.CategoryIds = Input.Role == PrinterRole.Kitchen ? [.. Input.CategoryIds.Distinct().Order()] : [];
    }

    private bool Valid()
    {
        var name = Input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 48 || name.Any(char.IsControl))
        {
            Errors["Name"] = Text.Say("Give a name of 1 to {0} characters.", 48);
        }
        var host = Typed.Plain(Input.Host ?? "").Trim();
        if (host.Length is 0 or > 253 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            Errors["Host"] = Text.Say("Give the printer's address on the shop's network, like 192.168.1.50.");
        }
        if (!PortAllowed(Input.Port, options.Value.Ports))
        {
            Errors["Port"] = Text.Say("This node lets printers use the ports {0}.", options.Value.Ports);
        }
        if (Input.PaperWidth is not (58 or 80) || !Enum.IsDefined(Input.Role) || !Enum.IsDefined(Input.PrintOn))
        {
            Errors["Paper"] = Text.Say("Choose 58 or 80 mm paper, what it prints and when.");
        }
        var known = scope.Catalog.Categories.Select(c => c.Id).ToHashSet();
        if (Input.CategoryIds.Any(id => !known.Contains(id)))
        {
            Errors["Categories"] = Text.Say("There is no such category in this shop.");
        }
        return Errors.Count == 0;
    }

    /// <summary>Whether <paramref name="port"/> is in a list like <c>9100-9109</c> or <c>9100, 9200-9210</c>.</summary>
    public static bool PortAllowed(int port, string allowed) =>
        allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(range =>
        {
            var parts = range.Split('-', 2, StringSplitOptions.TrimEntries);
            return int.TryParse(parts[0], out var low) && int.TryParse(parts.Length == 2 ? parts[1] : parts[0], out var high)
                && port >= low && port <= high && port is > 0 and <= 65535;
        });
}

/// <summary>One printer's fields on the printers page, for a printer or for the new one.</summary>
public sealed record PrinterFields(PrintersModel Page, string Id, string Name, string Host, int Port, int PaperWidth, PrinterRole Role, PrintMoment PrintOn, IReadOnlyList<int> CategoryIds);
