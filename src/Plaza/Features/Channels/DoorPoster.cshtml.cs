using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Channels;

/// <summary>
/// An A4 poster for the door or the window: the shop, a large code, how to order and when the shop is open.
/// Its code is the store code, or a named channel's (<c>?channel=door-poster</c>) so the owner can tell
/// what the poster brings. In the shop's language unless the owner picks the other (<c>?language=en</c>).
/// </summary>
[OwnerOnly, Printed]
public sealed class DoorPosterModel(PlazaDb db, ShopScope scope, OrderLinks links) : PageModel
{
    public Shop Shop => scope.Catalog.Shop;

    /// <summary>The named channel the code counts for, or null for the store code.</summary>
    public Channel? Channel { get; private set; }

    public string Link { get; private set; } = "";

    /// <summary>The code's image, from the console's code files.</summary>
    public string CodeImage { get; private set; } = "";

    /// <summary>The week's hours, with days of the same hours joined ("Mon–Fri 08:00–20:00").</summary>
    public IReadOnlyList<(string Days, string Hours)> Hours { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? channel, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(channel))
        {
            Link = links.Store(Shop.Slug);
            CodeImage = $"/console/{Shop.Slug}/codes/store/{Shop.Slug}";
        }
        else
        {
            Channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Code == channel && c.Kind == ChannelKind.Named && !c.Retired, ct);
            if (Channel is null)
            {
                return NotFound();
            }
            Link = links.Channel(Shop.Slug, Channel.Code);
            CodeImage = $"/console/{Shop.Slug}/codes/channel/{Uri.EscapeDataString(Channel.Code)}";
        }
        Hours = WeekHours(Shop.OpeningHours, CultureInfo.CurrentUICulture);
        return Page();
    }

    /// <summary>
    /// Monday first, consecutive days with the same ranges joined, closed days left out. Day names in
    /// <paramref name="culture"/>'s short form (周一, Mon), a run of days joined as "Mon–Fri" or "周一至周五".
    /// </summary>
    public static IReadOnlyList<(string Days, string Hours)> WeekHours(IEnumerable<OpeningRange> ranges, CultureInfo culture)
    {
        var byDay = ranges.GroupBy(r => r.Day).ToDictionary(g => g.Key,
            g => string.Join(", ", g.OrderBy(r => r.Opens).Select(r => $"{OpeningRange.Clock(r.Opens)}–{OpeningRange.Clock(r.Closes)}")));
        DayOfWeek[] week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];
        var names = culture.DateTimeFormat.AbbreviatedDayNames;
        var to = culture.Name.StartsWith("zh", StringComparison.Ordinal) ? "至" : "–";
        var lines = new List<(string, string)>();
        for (var i = 0; i < week.Length;)
        {
            if (!byDay.TryGetValue(week[i], out var hours))
            {
                i++;
                continue;
            }
            var last = i;
            while (last + 1 < week.Length && byDay.TryGetValue(week[last + 1], out var next) && next == hours)
            {
                last++;
            }
            lines.Add((last == i ? names[(int)week[i]] : $"{names[(int)week[i]]}{to}{names[(int)week[last]]}", hours));
            i = last + 1;
        }
        return lines;
    }
}
