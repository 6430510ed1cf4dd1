using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;

namespace Plaza.Features.Nearby;

/// <param name="Actor">The shop's ActivityPub actor id (its own node's), by which it can be followed or reported.</param>
public sealed record NearbyShop(string Name, string Summary, string Url, string Node, double DistanceKm, bool OpenNow, bool Local, double Latitude, double Longitude, string? Actor);

/// <summary>Shops near a point, this node's own and those it knows on other nodes, nearest first.</summary>
public static class NearbyQuery
{
    public const double MaxRadiusKm = 50;

    public static async Task<List<NearbyShop>> FindAsync(PlazaDb db, string publicOrigin, double lat, double lon, double radiusKm, bool openOnly, TimeProvider clock, CancellationToken ct)
    {
        // A bounding box narrows the rows in the store; the exact distance is computed here.
        var dLat = radiusKm / 111.0;
        var dLon = radiusKm / (111.0 * Math.Max(0.01, Math.Cos(lat * Math.PI / 180)));
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var results = new List<NearbyShop>();

        var locals = await db.Shops.AsNoTracking().Include(s => s.OpeningHours)
            .Where(s => s.Latitude >= lat - dLat && s.Latitude <= lat + dLat && s.Longitude >= lon - dLon && s.Longitude <= lon + dLon)
            .ToListAsync(ct);
        results.AddRange(locals.Select(s => new NearbyShop(s.Name, s.Description, $"{publicOrigin}/s/{Uri.EscapeDataString(s.Slug)}/c/{Channels.ChannelCodes.Nearby}", new Uri(publicOrigin).Host,
            Geo.DistanceMeters(lat, lon, s.Latitude, s.Longitude) / 1000, new OpeningSchedule(s).IsOpenAt(now) && !s.IsPausedAt(now.ToDateTimeUtc()), true, s.Latitude, s.Longitude,
            $"{publicOrigin}/actors/{Uri.EscapeDataString(s.Slug)}")));

        // A blocked domain's (subdomains included) or actor's shops vanish from the directory at once.
        var blocks = await BlocksAsync(db, ct);
        var remotes = (await db.KnownShops.AsNoTracking()
            .Where(s => s.Latitude >= lat - dLat && s.Latitude <= lat + dLat && s.Longitude >= lon - dLon && s.Longitude <= lon + dLon)
            .ToListAsync(ct))
            .Where(s => !blocks.Hides(s));
        results.AddRange(remotes.Select(s => new NearbyShop(s.Name, s.Summary, s.StorefrontUrl, s.Domain,
            Geo.DistanceMeters(lat, lon, s.Latitude, s.Longitude) / 1000, IsOpen(s, now), false, s.Latitude, s.Longitude, s.ActorId)));

        return [.. results.Where(r => r.DistanceKm <= radiusKm && (!openOnly || r.OpenNow)).OrderBy(r => r.DistanceKm).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>The operator's blocks, read once to filter a list of known shops.</summary>
    public sealed record Blocks(List<string> Domains, HashSet<string> Actors)
    {
        public bool Hides(KnownShop shop) =>
            Actors.Contains(shop.ActorId) || Domains.Any(d => shop.Domain == d || shop.Domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<Blocks> BlocksAsync(PlazaDb db, CancellationToken ct) => new(
        await db.BlockedDomains.AsNoTracking().Select(b => b.Domain).ToListAsync(ct),
        (await db.BlockedActors.AsNoTracking().Select(b => b.ActorId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal));

    /// <summary>Open now by the hours the remote shop published; unknown hours count as closed.</summary>
    public static bool IsOpen(KnownShop shop, Instant now)
    {
        if (shop.TimeZone.Length == 0 || DateTimeZoneProviders.Tzdb.GetZoneOrNull(shop.TimeZone) is null)
        {
            return false;
        }
        var hours = ParseHours(shop.OpeningHours);
        var probe = new Shop { Slug = "remote", Name = shop.Name, Currency = "EUR", TimeZone = shop.TimeZone, OpeningHours = hours };
        return new OpeningSchedule(probe).IsOpenAt(now);
    }

    public static string FormatHours(IEnumerable<OpeningRange> ranges) =>
        string.Join(';', ranges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{(int)r.Day}:{r.Opens}-{r.Closes}")));

    public static List<OpeningRange> ParseHours(string text)
    {
        var ranges = new List<OpeningRange>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var dayAndTimes = part.Split(':');
            var times = dayAndTimes.Length == 2 ? dayAndTimes[1].Split('-') : [];
            if (times.Length == 2 && int.TryParse(dayAndTimes[0], CultureInfo.InvariantCulture, out var day) && day is >= 0 and <= 6
                && int.TryParse(times[0], CultureInfo.InvariantCulture, out var opens) && int.TryParse(times[1], CultureInfo.InvariantCulture, out var closes)
                && opens is >= 0 and < 1440 && closes > opens && closes <= 2880)
            {
                ranges.Add(new OpeningRange { Day = (DayOfWeek)day, Opens = opens, Closes = closes });
            }
        }
        return ranges;
    }
}
