using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console.Shop.Owner;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>Profile, location, currency, zone, hours, order types, delivery, timing and the pause switch.</summary>
[OwnerOnly]
public sealed class SettingsModel(PlazaDb db, ShopScope scope) : PageModel
{
    public sealed class Input
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string? Address { get; set; }
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public string Currency { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public string DefaultLanguage { get; set; } = "en";
        public bool PricesIncludeTax { get; set; }
        public bool AcceptsDineIn { get; set; }
        public bool AcceptsPickup { get; set; }
        public bool AcceptsDelivery { get; set; }
        public double DeliveryRadiusKm { get; set; }
        public string DeliveryFee { get; set; } = "0";
        public string DeliveryMinimum { get; set; } = "0";
        public bool TipsEnabled { get; set; }
        public int LeadTimeMinutes { get; set; }
        public int SlotMinutes { get; set; }
        public int SlotCapacity { get; set; }
        public int AcceptWithinMinutes { get; set; }
        public bool AutoAccept { get; set; }
        /// <summary>Per weekday (Monday first): "07:00-11:00, 12:00-22:00"; empty = closed.</summary>
        public List<string> Hours { get; set; } = [];
    }

    public static readonly DayOfWeek[] Week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    [BindProperty]
    public Input Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = [];

    public void OnGet()
    {
        var s = scope.Current;
        var digits = Currencies.DigitsOf(s.Currency);
        Form = new Input
        {
            Name = s.Name,
            Description = s.Description,
            Address = s.Address,
            Latitude = s.Latitude,
            Longitude = s.Longitude,
            Currency = s.Currency,
            TimeZone = s.TimeZone,
            DefaultLanguage = s.DefaultLanguage,
            PricesIncludeTax = s.PricesIncludeTax,
            AcceptsDineIn = s.AcceptsDineIn,
            AcceptsPickup = s.AcceptsPickup,
            AcceptsDelivery = s.AcceptsDelivery,
            DeliveryRadiusKm = s.DeliveryRadiusMeters / 1000.0,
            DeliveryFee = MenuCsv.Major(s.DeliveryFee, digits),
            DeliveryMinimum = MenuCsv.Major(s.DeliveryMinimum, digits),
            TipsEnabled = s.TipsEnabled,
            LeadTimeMinutes = s.LeadTimeMinutes,
            SlotMinutes = s.SlotMinutes,
            SlotCapacity = s.SlotCapacity,
            AcceptWithinMinutes = s.AcceptWithinMinutes,
            AutoAccept = s.AutoAccept,
            Hours = [.. Week.Select(d => string.Join(", ", s.OpeningHours.Where(r => r.Day == d).OrderBy(r => r.Opens).Select(r => $"{OpeningRange.Clock(r.Opens)}-{OpeningRange.Clock(r.Closes)}")))],
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        if (f.Name.Trim().Length is 0 or > 120)
        {
            Errors["Name"] = "Give the shop a name of up to 120 characters.";
        }
        if (!Currencies.IsKnown(f.Currency))
        {
            Errors["Currency"] = "Use an ISO 4217 code such as EUR, USD or CNY.";
        }
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(f.TimeZone) is null)
        {
            Errors["TimeZone"] = "Use an IANA time zone such as Europe/Berlin or Asia/Shanghai.";
        }
        if (f.Latitude is < -90 or > 90 || f.Longitude is < -180 or > 180)
        {
            Errors["Latitude"] = "Latitude is −90…90 and longitude −180…180.";
        }
        var digits = Currencies.DigitsOf(f.Currency);
        var fee = MenuCsv.MinorUnits(f.DeliveryFee, digits);
        var minimum = MenuCsv.MinorUnits(f.DeliveryMinimum, digits);
        if (fee is null or < 0 || minimum is null or < 0 || f.DeliveryRadiusKm is < 0 or > 200)
        {
            Errors["Delivery"] = "Delivery radius is 0–200 km; fee and minimum are amounts such as 2.50.";
        }
        if (f.LeadTimeMinutes is < 0 or > 720 || f.SlotMinutes is < 5 or > 240 || f.SlotCapacity is < 1 or > 10_000 || f.AcceptWithinMinutes is < 1 or > 120)
        {
            Errors["Timing"] = "Lead time 0–720 min, slots 5–240 min, capacity 1–10000, accept within 1–120 min.";
        }
        var ranges = new List<OpeningRange>();
        for (var d = 0; d < Week.Length; d++)
        {
            foreach (var part in (f.Hours.ElementAtOrDefault(d) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var times = part.Split('-', StringSplitOptions.TrimEntries);
                if (times.Length != 2 || Minutes(times[0]) is not { } opens || Minutes(times[1]) is not { } closes || opens == closes)
                {
                    Errors["Hours"] = $"'{part}' should look like 07:00-22:00 (a closing before the opening runs past midnight).";
                    continue;
                }
                ranges.Add(new OpeningRange { ShopId = scope.ShopId, Day = Week[d], Opens = opens, Closes = closes < opens ? closes + (24 * 60) : closes });
            }
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var shop = await db.Shops.Include(s => s.OpeningHours).SingleAsync(s => s.Id == scope.ShopId, ct);
        shop.Name = f.Name.Trim();
        shop.Description = f.Description?.Trim() ?? "";
        shop.Address = f.Address?.Trim() ?? "";
        shop.Latitude = f.Latitude;
        shop.Longitude = f.Longitude;
        shop.Currency = f.Currency;
        shop.TimeZone = f.TimeZone;
        shop.DefaultLanguage = f.DefaultLanguage == "zh-Hans" ? "zh-Hans" : "en";
        shop.PricesIncludeTax = f.PricesIncludeTax;
        shop.AcceptsDineIn = f.AcceptsDineIn;
        shop.AcceptsPickup = f.AcceptsPickup;
        shop.AcceptsDelivery = f.AcceptsDelivery;
        shop.DeliveryRadiusMeters = (int)Math.Round(f.DeliveryRadiusKm * 1000);
        shop.DeliveryFee = fee!.Value;
        shop.DeliveryMinimum = minimum!.Value;
        shop.TipsEnabled = f.TipsEnabled;
        shop.LeadTimeMinutes = f.LeadTimeMinutes;
        shop.SlotMinutes = f.SlotMinutes;
        shop.SlotCapacity = f.SlotCapacity;
        shop.AcceptWithinMinutes = f.AcceptWithinMinutes;
        shop.AutoAccept = f.AutoAccept;
        db.RemoveRange(shop.OpeningHours);
        shop.OpeningHours = ranges;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = "Settings saved.";
        return Redirect($"/console/{shop.Slug}/settings");
    }


    private static int? Minutes(string hhmm) =>
        TimeOnly.TryParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? (t.Hour * 60) + t.Minute
        : hhmm == "24:00" ? 24 * 60 : null;
}
