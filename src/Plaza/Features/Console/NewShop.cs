using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Console;

/// <summary>
/// Opening a shop, from the shell (<see cref="CreateShopCommand"/>) or from an owner's console (a main
/// business and a sideline): the same checks and the same starting point, open 08:00–20:00 with one
/// tax rate at 0 % until the owner sets their own.
/// </summary>
public static partial class NewShop
{
    /// <summary>Console paths that are not shops: a shop with one of these slugs could never open its console.</summary>
    public static readonly FrozenSet<string> ReservedSlugs =
        new[] { "node", "sign-in", "sign-out", "sign-up", "account", "join", "shops" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What is wrong with the request, by field, as English templates (the keys of their translations); empty when nothing is.</summary>
    public static async Task<Dictionary<string, string>> CheckAsync(PlazaDb db, string slug, string name, string currency, string timeZone, CancellationToken ct)
    {
        var problems = new Dictionary<string, string>();
        if (!SlugPattern().IsMatch(slug))
        {
            problems["Slug"] = Text.Say("Use 2 to 63 lower-case letters, digits and hyphens, starting with a letter or digit.");
        }
        else if (ReservedSlugs.Contains(slug))
        {
            problems["Slug"] = Text.Say("That address is one of the console's own pages; choose another.");
        }
        else if (await db.Shops.IgnoreQueryFilters().AnyAsync(s => s.Slug == slug, ct))
        {
            problems["Slug"] = Text.Say("A shop on this node has that address already.");
        }
        if (name.Trim().Length is 0 or > 120)
        {
            problems["Name"] = Text.Say("Give the shop a name of up to 120 characters.");
        }
        if (!Currencies.IsKnown(currency))
        {
            problems["Currency"] = Text.Say("Use an ISO 4217 code such as EUR, USD or CNY.");
        }
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is null)
        {
            problems["TimeZone"] = Text.Say("Use an IANA time zone such as Europe/Berlin or Asia/Shanghai.");
        }
        return problems;
    }

    public static Catalog.Shop Build(string slug, string name, string currency, string timeZone, string language) => new()
    {
        Slug = slug,
        Name = name.Trim(),
        Currency = currency,
        TimeZone = timeZone,
        DefaultLanguage = language == "zh-Hans" ? "zh-Hans" : "en",
        OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 8 * 60, Closes = 20 * 60 })],
        TaxRates = [new TaxRate { Code = "food", Name = language == "zh-Hans" ? "标准" : "Standard", BasisPoints = 0, IsDefault = true }],
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex SlugPattern();
}
