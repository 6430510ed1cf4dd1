using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>
/// Learns shops on other nodes for the nearby directory: reads a remote <c>Organization</c>
/// actor's location, storefront link and published hours, and keeps one row per actor.
/// </summary>
public sealed partial class ShopDirectory(PlazaDb db, RemoteActors remote, TimeProvider clock)
{
    /// <summary>
    /// Fetches the actor and records it when it is a shop with a location; returns whether it did.
    /// <paramref name="subscriptionId"/> names the subscribed directory that listed it (for <see cref="KnownShopSource.Directory"/>).
    /// </summary>
    public async Task<bool> LearnAsync(string actorId, KnownShopSource source, CancellationToken ct, int? subscriptionId = null)
    {
        using var document = await remote.GetJsonAsync(actorId, ct);
        if (document is null || Parse(document.RootElement, actorId) is not { } learned)
        {
            return false;
        }
        var row = await db.KnownShops.FirstOrDefaultAsync(s => s.ActorId == actorId, ct);
        if (row is null)
        {
            row = learned;
            db.KnownShops.Add(row);
        }
        else
        {
            (row.Name, row.Summary, row.StorefrontUrl, row.Latitude, row.Longitude, row.TimeZone, row.OpeningHours) =
                (learned.Name, learned.Summary, learned.StorefrontUrl, learned.Latitude, learned.Longitude, learned.TimeZone, learned.OpeningHours);
        }
        if (row.Id == 0 || Rank(source) > Rank(row.Source))
        {
            // First-hand beats second-hand: seen through a hub does not make a followed shop any less
            // followed, and a listing in another node's directory never downgrades what this node saw itself.
            row.Source = source;
            row.SubscriptionId = source == KnownShopSource.Directory ? subscriptionId : null;
        }
        row.LastSeenAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static int Rank(KnownShopSource source) => source switch
    {
        KnownShopSource.Followed => 2,
        KnownShopSource.Shared => 1,
        _ => 0,
    };

    /// <summary>A shop as its actor document describes it, or null when it is not one (no location, no storefront).</summary>
    public static KnownShop? Parse(JsonElement actor, string actorId)
    {
        if (Text(actor, "type") is not ("Organization" or "Service")
            || !actor.TryGetProperty("location", out var place) || place.ValueKind != JsonValueKind.Object
            || !Number(place, "latitude", out var lat) || !Number(place, "longitude", out var lon)
            || lat is < -90 or > 90 || lon is < -180 or > 180
            || Uri.TryCreate(actorId, UriKind.Absolute, out var actorUri) is false)
        {
            return null;
        }
        var storefront = Storefront(actor);
        if (storefront is null)
        {
            return null;
        }
        var (zone, hours) = Hours(actor);
        return new KnownShop
        {
            ActorId = actorId,
            Domain = actorUri.Host,
            Name = Clip(PlainText(Text(actor, "name") ?? Text(actor, "preferredUsername") ?? actorUri.Host), 120),
            Summary = Clip(PlainText(Text(actor, "summary") ?? ""), 2000),
            StorefrontUrl = storefront,
            Latitude = lat,
            Longitude = lon,
            TimeZone = zone,
            OpeningHours = hours,
        };
    }

    private static string? Storefront(JsonElement actor)
    {
        // Prefer the explicit order link (FEP-0ea0 style Link attachment), then the actor's url.
        if (actor.TryGetProperty("attachment", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in attachments.EnumerateArray())
            {
                if (a.ValueKind == JsonValueKind.Object && Text(a, "type") == "Link" && Text(a, "rel") == "payment" && IsHttp(Text(a, "href")))
                {
                    return Text(a, "href");
                }
            }
        }
        var url = actor.TryGetProperty("url", out var u) ? u.ValueKind == JsonValueKind.String ? u.GetString() : u.ValueKind == JsonValueKind.Object ? Text(u, "href") : null : null;
        return IsHttp(url) ? url : null;
    }

    /// <summary>
    /// Reads the "Opening hours" field Plaza nodes publish, e.g. "Mon 07:00–11:00, 12:00–22:00; Tue … (Europe/Berlin)".
    /// Other servers' shops publish none; their hours stay unknown.
    /// </summary>
    private static (string Zone, string Hours) Hours(JsonElement actor)
    {
        if (!actor.TryGetProperty("attachment", out var attachments) || attachments.ValueKind != JsonValueKind.Array)
        {
            return ("", "");
        }
        var field = attachments.EnumerateArray().FirstOrDefault(a => a.ValueKind == JsonValueKind.Object && Text(a, "type") == "PropertyValue" && Text(a, "name") == "Opening hours");
        var text = field.ValueKind == JsonValueKind.Object ? WebUtility.HtmlDecode(PlainText(Text(field, "value") ?? "")) : "";
        var whole = HoursText().Match(text);
        if (!whole.Success || NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(whole.Groups["zone"].Value) is null)
        {
            return ("", "");
        }
        var ranges = new List<OpeningRange>();
        foreach (var day in whole.Groups["days"].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var name = day.Split(' ')[0];
            var weekday = Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames, name);
            if (weekday < 0)
            {
                continue;
            }
            foreach (Match range in RangeText().Matches(day))
            {
                var opens = Minutes(range.Groups[1].Value);
                var closes = Minutes(range.Groups[2].Value);
                ranges.Add(new OpeningRange { Day = (DayOfWeek)weekday, Opens = opens, Closes = closes <= opens ? closes + 1440 : closes });
            }
        }
        return (whole.Groups["zone"].Value, NearbyQuery.FormatHours(ranges));
    }

    private static int Minutes(string hhmm) =>
        (int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60) + int.Parse(hhmm[3..], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<days>.*)\((?<zone>[A-Za-z0-9_+\-/]+)\)\s*$")]
    private static partial Regex HoursText();

    [GeneratedRegex(@"(\d\d:\d\d)\s*[–-]\s*(\d\d:\d\d)")]
    private static partial Regex RangeText();

    // Remote text is stored as plain text; pages encode it again when they show it.
    private static string PlainText(string html) => Moderation.PlainText.From(html);

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    private static bool IsHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Number(JsonElement element, string property, out double value)
    {
        value = 0;
        return element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value);
    }
}
