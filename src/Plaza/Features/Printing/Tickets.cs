using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Mail;
using Plaza.Features.Ordering;

namespace Plaza.Features.Printing;

/// <summary>
/// What goes on paper, in the shop's language: the kitchen's ticket (number, where it goes, the lines this printer
/// makes, options and the note, large enough to read from the pass) and the counter's receipt (lines with prices,
/// fees, tax and total).
/// </summary>
public static class Tickets
{
    /// <summary>The lines of <paramref name="order"/> a printer prints: a kitchen printer only its categories' (all when it names none).</summary>
    public static List<OrderLine> LinesFor(Printer printer, Order order, IReadOnlyDictionary<int, int> categoryOfItem) =>
        [.. order.Lines.OrderBy(l => l.Id).Where(l => printer.Role == PrinterRole.Receipt || printer.CategoryIds.Count == 0
            || (categoryOfItem.TryGetValue(l.ItemId, out var category) && printer.CategoryIds.Contains(category)))];

    public static byte[] Compose(PrintKind kind, Printer printer, Shop shop, Order order, IReadOnlyList<OrderLine> lines, string? tableName, bool reprint) =>
        Outbox.In(shop.DefaultLanguage, () => kind == PrintKind.Ticket
            ? Ticket(printer, shop, order, lines, tableName, reprint)
            : Receipt(printer, shop, order, lines, tableName, reprint));

    /// <summary>Where the order goes, as staff say it: the table's name, or pickup (with its time) or delivery.</summary>
    public static string Where(Shop shop, Order order, string? tableName) => order.Type switch
    {
        OrderType.DineIn => tableName ?? Text.Say("Table {0}", order.TableCode ?? ""),
        OrderType.Delivery => Text.Say("Delivery"),
        _ => order.PickupAt is { } at ? $"{Text.Say("Pickup")} {OpeningSchedule.Local(shop, at)}" : Text.Say("Pickup"),
    };

    private static byte[] Ticket(Printer printer, Shop shop, Order order, IReadOnlyList<OrderLine> lines, string? tableName, bool reprint)
    {
        var columns = printer.Columns;
        var paper = new EscPos().Init().Center();
        if (reprint)
        {
            paper.Line($"** {Text.Say("Reprint")} **");
        }
        paper.Size(2, 2).Bold(true).Line(order.Number).Size(1, 1).Bold(false)
            .Size(1, 2).Line(Where(shop, order, tableName)).Size(1, 1)
            .Line(Text.Say("placed {0}", OpeningSchedule.Local(shop, order.PlacedAt))).Left().Line(new string('-', columns));
        foreach (var line in lines)
        {
            paper.Size(1, 2).Bold(true);
            foreach (var part in EscPos.Wrap($"{line.Quantity}× {line.Name}", columns))
            {
                paper.Line(part);
            }
            paper.Bold(false).Size(1, 1);
            foreach (var part in line.Options.Length > 0 ? EscPos.Wrap("  " + line.Options, columns) : [])
            {
                paper.Line(part);
            }
        }
        if (!string.IsNullOrWhiteSpace(order.Note))
        {
            paper.Line(new string('-', columns)).Bold(true);
            foreach (var part in EscPos.Wrap(Text.Say("Note: {0}", order.Note), columns))
            {
                paper.Line(part);
            }
            paper.Bold(false);
        }
        return paper.Feed(3).Cut().ToArray();
    }

    private static byte[] Receipt(Printer printer, Shop shop, Order order, IReadOnlyList<OrderLine> lines, string? tableName, bool reprint)
    {
        var columns = printer.Columns;
        string Money(long amount) => Currencies.Format(new Money(amount, order.Currency));
        var paper = new EscPos().Init().Center().Bold(true).Size(2, 2);
        foreach (var part in EscPos.Wrap(shop.Name, columns / 2))
        {
            paper.Line(part);
        }
        paper.Size(1, 1).Bold(false);
        foreach (var detail in new[] { shop.Address, shop.Phone }.Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            foreach (var part in EscPos.Wrap(detail, columns))
            {
                paper.Line(part);
            }
        }
        if (reprint)
        {
            paper.Line($"** {Text.Say("Reprint")} **");
        }
        paper.Line().Bold(true).Line($"{order.Number} · {Where(shop, order, tableName)}").Bold(false)
            .Line(OpeningSchedule.Local(shop, order.PlacedAt, "yyyy-MM-dd HH:mm")).Left().Line(new string('-', columns));
        foreach (var line in lines)
        {
            var name = $"{line.Quantity}× {line.Name}";
            var price = Money(line.LineTotal);
            var wrapped = EscPos.Wrap(name, columns - EscPos.Width(price) - 1).ToList();
            for (var i = 0; i < wrapped.Count; i++)
            {
                paper.Line(i == 0 ? EscPos.Spread(wrapped[i], price, columns) : wrapped[i]);
            }
            foreach (var part in line.Options.Length > 0 ? EscPos.Wrap("  " + line.Options, columns) : [])
            {
                paper.Line(part);
            }
        }
        paper.Line(new string('-', columns));
        if (order.DeliveryFee > 0)
        {
            paper.Line(EscPos.Spread(Text.Say("Delivery"), Money(order.DeliveryFee), columns));
        }
        if (order.Tip > 0)
        {
            paper.Line(EscPos.Spread(Text.Say("Tip"), Money(order.Tip), columns));
        }
        foreach (var tax in OrderWords.ParseTaxes(order.TaxBreakdown))
        {
            var label = order.PricesIncludeTax ? Text.Say("incl. {0} % tax", tax.BasisPoints / 100m) : Text.Say("{0} % tax", tax.BasisPoints / 100m);
            paper.Line(EscPos.Spread(label, Money(tax.Tax), columns));
        }
        paper.Bold(true).Size(1, 2).Line(EscPos.Spread(Text.Say("Total"), Money(order.Total), columns)).Size(1, 1).Bold(false)
            .Center().Line().Line(Text.Say("Thank you!"));
        return paper.Feed(3).Cut().ToArray();
    }
}
