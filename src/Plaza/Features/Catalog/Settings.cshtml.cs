using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>
/// How the shop sells: currency, zone, language, hours, order types, delivery, timing and the platform
/// commission it compares itself with. What customers read about it is on <see cref="ProfileModel"/>,
/// its tax rates on <see cref="TaxesModel"/>, its holidays on <see cref="ClosedDatesModel"/>.
/// </summary>
[OwnerOnly]
public sealed class SettingsModel(PlazaDb db, ShopScope scope, IStringLocalizer<Text> text) : PageModel
{
    public sealed class Input
    {
        public string Currency { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public string DefaultLanguage { get; set; } = "en";
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
        public int UnattendedMinutes { get; set; }
        public ContactAsk ContactAtTable { get; set; }
        public ContactAsk ContactAway { get; set; } = ContactAsk.NameAndPhone;
        /// <summary>The commission a platform would have charged, in percent ("25", "22.5").</summary>
        public string Commission { get; set; } = "";
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
            Currency = s.Currency,
            TimeZone = s.TimeZone,
            DefaultLanguage = s.DefaultLanguage,
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
            UnattendedMinutes = s.UnattendedMinutes,
            ContactAtTable = s.ContactAtTable,
            ContactAway = s.ContactAway,
            Commission = BasisPoints.Format(s.CommissionBasisPoints),
            Hours = [.. Week.Select(d => string.Join(", ", s.OpeningHours.Where(r => r.Day == d).OrderBy(r => r.Opens).Select(r => $"{OpeningRange.Clock(r.Opens)}-{OpeningRange.Clock(r.Closes)}")))],
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        if (!Currencies.IsKnown(f.Currency))
        {
            Errors["Currency"] = Text.Say("Use an ISO 4217 code such as EUR, USD or CNY.");
        }
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(f.TimeZone) is null)
        {
            Errors["TimeZone"] = Text.Say("Use an IANA time zone such as Europe/Berlin or Asia/Shanghai.");
        }
        var digits = Currencies.DigitsOf(f.Currency);
        var fee = MenuCsv.MinorUnits(f.DeliveryFee, digits);
        var minimum = MenuCsv.MinorUnits(f.DeliveryMinimum, digits);
        if (fee is null or < 0 || minimum is null or < 0 || f.DeliveryRadiusKm is < 0 or > 200)
        {
            Errors["Delivery"] = Text.Say("Delivery radius is 0–200 km; fee and minimum are amounts such as 2.50.");
        }
        if (f.LeadTimeMinutes is < 0 or > 720 || f.SlotMinutes is < 5 or > 240 || f.SlotCapacity is < 1 or > 10_000 || f.AcceptWithinMinutes is < 1 or > 120)
        {
            Errors["Timing"] = Text.Say("Lead time 0–720 min, slots 5–240 min, capacity 1–10000, accept within 1–120 min.");
        }
        if (f.UnattendedMinutes is < 0 or > 24 * 60)
        {
            Errors["Unattended"] = Text.Say("Between 0 (off) and 1440 minutes.");
        }
        if (!Enum.IsDefined(f.ContactAtTable) || f.ContactAway is not (ContactAsk.Phone or ContactAsk.NameAndPhone))
        {
            Errors["Contact"] = Text.Say("Pickup and delivery orders need at least a phone number.");
        }
        var commission = BasisPoints.Parse(f.Commission);
        if (commission is null)
        {
            Errors["Commission"] = Text.Say("A commission is a percentage between 0 and 100, such as 25 or 22.5.");
        }
        var ranges = new List<OpeningRange>();
        for (var d = 0; d < Week.Length; d++)
        {
            // Typed on a Chinese keyboard too: NFKC folds full-width digits, colon, comma and tilde
            // (10：00～14：30，16：30-21：00), and 、 separates ranges as a comma does.
            var typed = Typed.Plain(f.Hours.ElementAtOrDefault(d));
            foreach (var part in typed.Split([',', '、', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var times = part.Split(['-', '~', '–', '—', '至'], StringSplitOptions.TrimEntries);
                if (times.Length != 2 || Minutes(times[0]) is not { } opens || Minutes(times[1]) is not { } closes || opens == closes)
                {
                    Errors["Hours"] = Text.Say("'{0}' should look like 07:00-22:00 (a closing before the opening runs past midnight).", part);
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
        shop.Currency = f.Currency;
        shop.TimeZone = f.TimeZone;
        shop.DefaultLanguage = f.DefaultLanguage == "zh-Hans" ? "zh-Hans" : "en";
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
        shop.UnattendedMinutes = f.UnattendedMinutes;
        shop.ContactAtTable = f.ContactAtTable;
        shop.ContactAway = f.ContactAway;
        shop.CommissionBasisPoints = commission!.Value;
        db.RemoveRange(shop.OpeningHours);
        shop.OpeningHours = ranges;
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Settings saved."].Value;
        return Redirect($"/console/{shop.Slug}/settings");
    }


    private static int? Minutes(string hhmm) =>
        TimeOnly.TryParseExact(hhmm, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? (t.Hour * 60) + t.Minute
        : hhmm == "24:00" ? 24 * 60 : null;
}
