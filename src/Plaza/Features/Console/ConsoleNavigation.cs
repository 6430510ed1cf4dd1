namespace Plaza.Features.Console;

/// <summary>
/// A shop's console pages in the groups the navigation shows (<c>_ConsoleNavigation.cshtml</c>: a row of
/// groups, then the current group's pages). A new page is one line here, its label one line in
/// <c>tools/zh-Hans.tsv</c>. Who may open a page is still decided by the page (<c>[OwnerOnly]</c>);
/// <see cref="ConsolePage.Staff"/> only decides whom the link is shown to, and a browser test checks the two agree.
/// </summary>
public static class ConsoleNavigation
{
    public static readonly IReadOnlyList<ConsoleGroup> Groups =
    [
        new("Orders", [new("board", "Order board", Staff: true), new("stock", "Sold out", Staff: true), new("reservations", "Reservations", Staff: true)]),
        new("Menu", [new("menu", "Menu"), new("translations", "Translations")]),
        new("Customers", [new("members", "Member list", Staff: true), new("coupons", "Coupons"), new("loyalty", "Points and top-ups"), new("segments", "Segments"), new("campaigns", "Campaigns"), new("journeys", "Journeys")]),
        new("Marketing", [new("channels", "Channels"), new("posts", "Posts"), new("boosts", "Boosts")]),
        new("Network", [new("followers", "Followers"), new("following", "Following"), new("hubs", "Hubs")]),
        new("Shop", [new("profile", "Profile"), new("settings", "Settings"), new("taxes", "Taxes"), new("closed", "Closed days"), new("tables", "Tables"), new("reservation-settings", "Booking rules"), new("printers", "Printers"),
            new("staff", "Staff"), new("tokens", "API tokens"), new("reports", "Sales"), new("shops", "Your shops")]),
    ];

    /// <summary>The groups with the pages this member may use; a group left with none is left out.</summary>
    public static IReadOnlyList<ConsoleGroup> For(bool owner) =>
    [
        .. Groups
            .Select(g => g with { Pages = [.. g.Pages.Where(p => owner || p.Staff)] })
            .Where(g => g.Pages.Count > 0),
    ];

    /// <summary>
    /// The page a request is on or below (<c>/console/{shop}/menu/items/4</c> is below Menu), by the segment
    /// after the shop's; null when it is none of them.
    /// </summary>
    public static (ConsoleGroup Group, ConsolePage Page, bool Exact)? Locate(IReadOnlyList<ConsoleGroup> groups, PathString requestPath)
    {
        var segments = (requestPath.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || !segments[0].Equals("console", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        foreach (var group in groups)
        {
            foreach (var page in group.Pages)
            {
                if (page.Path.Equals(segments[2], StringComparison.OrdinalIgnoreCase))
                {
                    return (group, page, segments.Length == 3);
                }
            }
        }
        return null;
    }
}

/// <summary>A group of console pages; <see cref="Label"/> is the English text, the key of its translations.</summary>
public sealed record ConsoleGroup(string Label, IReadOnlyList<ConsolePage> Pages);

/// <summary>A console page at <c>/console/{shop}/{Path}</c>; <see cref="Staff"/> when staff may use it, not only owners.</summary>
public sealed record ConsolePage(string Path, string Label, bool Staff = false);
