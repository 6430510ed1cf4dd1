using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Reservations;

/// <summary>The demo café's reservations: every table bookable and tables 5+6 pushed together for 8, so <c>/s/demo/reserve</c> works at once.</summary>
public static class DemoReservations
{
    public static async Task SeedAsync(PlazaDb db, int shopId, CancellationToken ct)
    {
        // Seeding runs with no shop in scope, so it names the shop itself.
        var tables = await db.Tables.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(t => t.ShopId == shopId).ToListAsync(ct);
        foreach (var table in tables)
        {
            table.Bookable = true;
        }
        db.ReservationSettings.Add(new ReservationSettings { ShopId = shopId, Enabled = true, LeadMinutes = 30 });
        if (tables.FirstOrDefault(t => t.Code == "5") is { } five && tables.FirstOrDefault(t => t.Code == "6") is { } six)
        {
            db.TableGroups.Add(new TableGroup
            {
                ShopId = shopId,
                Seats = 8,
                Members = [new() { ShopId = shopId, TableId = five.Id }, new() { ShopId = shopId, TableId = six.Id }],
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
