using Plaza.Common;

namespace Plaza.Features.Campaigns;

/// <summary>
/// A segment's rules as the owner types them (full-width digits read as plain): empty fields ask nothing. Read into a
/// <see cref="Segment"/> or the reasons it cannot be one.
/// </summary>
public sealed class SegmentForm
{
    public string? Name { get; set; }
    public string? MinDays { get; set; }
    public string? MaxDays { get; set; }
    public string? Window { get; set; }
    public string? MinOrders { get; set; }
    public string? MaxOrders { get; set; }
    public string? MinSpend { get; set; }
    public string? Tier { get; set; }
    public string? Channel { get; set; }
    public string? Consent { get; set; }

    /// <param name="named">Whether a name is needed (to save; not to count).</param>
    public (Segment? Segment, Dictionary<string, string[]> Errors) Read(int shopId, string currency, ICollection<int> tiers, ICollection<int> channels, bool named)
    {
        var errors = new Dictionary<string, string[]>();
        int? Number(string field, string? typed, int max)
        {
            var text = Typed.Plain(typed).Trim();
            if (text.Length == 0)
            {
                return null;
            }
            if (Typed.Whole(text) is { } n && n <= max)
            {
                return n;
            }
            errors[field] = [Text.Say("Give a whole number from 0 to {0}, or leave it empty.", max)];
            return null;
        }
        int? Choice(string field, string? typed, ICollection<int> allowed)
        {
            var text = Typed.Plain(typed).Trim();
            if (text.Length == 0)
            {
                return null;
            }
            if (Typed.Whole(text) is { } id && allowed.Contains(id))
            {
                return id;
            }
            errors[field] = [Text.Say("Choose one from the list.")];
            return null;
        }
        var name = (Name ?? "").Trim();
        if (named && name.Length is 0 or > 60)
        {
            errors["name"] = [Text.Say("Give the segment a name of at most 60 characters.")];
        }
        long? spend = null;
        if (Typed.Plain(MinSpend).Trim() is { Length: > 0 } spendText)
        {
            spend = Catalog.MenuCsv.MinorUnits(spendText, Currencies.DigitsOf(currency));
            if (spend is null or < 0)
            {
                errors["minSpend"] = [Text.Say("Give an amount such as 20.00, or leave it empty.")];
            }
        }
        var consent = SegmentConsent.Any;
        if (!string.IsNullOrEmpty(Consent) && (!Enum.TryParse(Consent, out consent) || !Enum.IsDefined(consent)))
        {
            errors["consent"] = [Text.Say("Choose one from the list.")];
        }
        var segment = new Segment
        {
            ShopId = shopId,
            Name = name,
            MinDaysSinceOrder = Number("minDays", MinDays, 3650),
            MaxDaysSinceOrder = Number("maxDays", MaxDays, 3650),
            WindowDays = Number("window", Window, 3650) ?? 90,
            MinOrders = Number("minOrders", MinOrders, 100_000),
            MaxOrders = Number("maxOrders", MaxOrders, 100_000),
            MinSpend = spend,
            TierId = Choice("tier", Tier, tiers),
            ChannelId = Choice("channel", Channel, channels),
            Consent = consent,
        };
        if (segment.WindowDays == 0)
        {
            errors["window"] = [Text.Say("Count orders over at least one day.")];
        }
        if (segment.MinDaysSinceOrder > segment.MaxDaysSinceOrder || segment.MinOrders > segment.MaxOrders)
        {
            errors["maxDays"] = [Text.Say("A \"from\" is above its \"to\": no member could be in this segment.")];
        }
        return (errors.Count == 0 ? segment : null, errors);
    }
}
