using Plaza.Features.Catalog;

namespace Plaza.Features.Ordering;

/// <summary>Money on the wire: an integer amount in minor units and its ISO 4217 currency.</summary>
public sealed record MoneyDto(long Amount, string Currency)
{
    public static MoneyDto Of(long amount, string currency) => new(amount, currency);
}

/// <summary>POST /api/v1/shops/{shop}/orders. Fields are nullable so a missing one gets a field error, not a parse error.</summary>
public sealed record PlaceOrderRequest
{
    /// <summary>"dineIn", "pickup" or "delivery".</summary>
    public string? Type { get; init; }
    /// <summary>Table code for dine-in.</summary>
    public string? Table { get; init; }
    /// <summary>A slot start for a later pickup or delivery; absent means as soon as possible.</summary>
    public DateTimeOffset? PickupAt { get; init; }
    public DeliveryAddressRequest? Address { get; init; }
    public List<OrderItemRequest>? Items { get; init; }
    public CustomerRequest? Customer { get; init; }
    public string? Note { get; init; }
    public TipRequest? Tip { get; init; }
    /// <summary>The total the customer saw; when present and different from the server's, the order is refused.</summary>
    public MoneyDto? ExpectedTotal { get; init; }
    /// <summary>Coupon codes (a shared code or one issued to the member); more than one only where every coupon allows it.</summary>
    public List<string>? Coupons { get; init; }
    /// <summary>Points to take off the items, in the shop's steps; needs the signed-in member.</summary>
    public int? RedeemPoints { get; init; }
    /// <summary>"counter" (the default) or "balance": the whole total from the member's stored value, up front.</summary>
    public string? Payment { get; init; }
}

public sealed record OrderItemRequest
{
    public int ItemId { get; init; }
    public int Quantity { get; init; }
    public List<int>? OptionIds { get; init; }
}

public sealed record CustomerRequest(string? Name, string? Phone);

public sealed record DeliveryAddressRequest(string? Text, double? Latitude, double? Longitude);

/// <summary>Either a percentage of the items' total or an amount in minor units.</summary>
public sealed record TipRequest(int? Percent, long? Amount);

/// <summary>POST /api/v1/shops/{shop}/quote: price a cart without placing it.</summary>
public sealed record QuoteRequest
{
    public string? Type { get; init; }
    public List<OrderItemRequest>? Items { get; init; }
    public TipRequest? Tip { get; init; }
    public List<string>? Coupons { get; init; }
    public int? RedeemPoints { get; init; }
}

public sealed record QuoteLineResponse(int ItemId, string Name, string Options, List<int> OptionIds, int Quantity, MoneyDto UnitPrice, MoneyDto Total);

public sealed record TaxLineResponse(decimal RatePercent, MoneyDto Base, MoneyDto Tax);

/// <param name="Label">The coupon's code, or "points".</param>
public sealed record DiscountResponse(string Label, MoneyDto Amount);

public sealed record QuoteResponse(
    List<QuoteLineResponse> Lines,
    MoneyDto ItemsTotal,
    List<DiscountResponse> Discounts,
    MoneyDto Discount,
    MoneyDto DeliveryFee,
    MoneyDto Tip,
    List<TaxLineResponse> Taxes,
    MoneyDto Tax,
    MoneyDto Total,
    bool PricesIncludeTax)
{
    /// <param name="language">The shop's language, which its option names are in (and so how they are listed).</param>
    public static QuoteResponse From(Quote quote, string language)
    {
        var c = quote.Currency;
        return new(
            [.. quote.Lines.Select(l => new QuoteLineResponse(l.Item.Id, l.Item.Name, string.Join(OrderWords.ListSeparator(language), l.Options.Select(o => o.Name)),
                [.. l.Options.Select(o => o.Id)], l.Quantity, MoneyDto.Of(l.UnitPrice, c), MoneyDto.Of(l.LineTotal, c)))],
            MoneyDto.Of(quote.ItemsTotal, c), [.. quote.Discounts.Select(d => new DiscountResponse(d.Label, MoneyDto.Of(d.Amount, c)))], MoneyDto.Of(quote.Discount, c),
            MoneyDto.Of(quote.DeliveryFee, c), MoneyDto.Of(quote.Tip, c),
            [.. quote.Taxes.Select(t => new TaxLineResponse(t.BasisPoints / 100m, MoneyDto.Of(t.Base, c), MoneyDto.Of(t.Tax, c)))],
            MoneyDto.Of(quote.Tax, c), MoneyDto.Of(quote.Total, c), quote.PricesIncludeTax);
    }
}

public sealed record OrderLineResponse(int ItemId, string Name, string Options, int Quantity, MoneyDto UnitPrice, MoneyDto Total);

/// <param name="Actor">
/// Who made the change. Where the customer reads the order (no account, the id is the capability) it
/// is a role: <c>customer</c>, <c>shop</c> or <c>system</c>. The staff API's answer to a status change
/// names the account or token (<c>token:name</c>).
/// </param>
/// <param name="Reason">Why, in the request's language; <paramref name="ReasonCode"/> names a reason Plaza gave itself (e.g. not-confirmed-in-time).</param>
public sealed record OrderTransitionResponse(string Status, DateTimeOffset At, string Actor, string? Reason, string? ReasonCode);

/// <summary>An order as its customer and the staff API see it.</summary>
public sealed record OrderResponse(
    Guid Id,
    string Number,
    string Status,
    string Type,
    string? Table,
    DateTimeOffset? PickupAt,
    DateTimeOffset? ReadyAt,
    DateTimeOffset PlacedAt,
    string CustomerName,
    string? Note,
    string? Reason,
    string? ReasonCode,
    List<OrderLineResponse> Lines,
    MoneyDto ItemsTotal,
    List<DiscountResponse> Discounts,
    MoneyDto Discount,
    MoneyDto DeliveryFee,
    MoneyDto Tip,
    List<TaxLineResponse> Taxes,
    MoneyDto Tax,
    MoneyDto Total,
    List<OrderTransitionResponse> Transitions,
    string Payment,
    MoneyDto PaidFromBalance,
    long PointsRedeemed,
    long PointsEarned,
    MoneyDto Refunded)
{
    /// <summary>
    /// The order as its customer sees it: anyone holding the link reads it, so who moved it is a role,
    /// never a staff member's or an API token's name.
    /// </summary>
    public static OrderResponse From(Order o) => Of(o, OrderWords.Role);

    /// <summary>The order as the shop's staff see it: who moved it by name.</summary>
    public static OrderResponse ForStaff(Order o) => Of(o, actor => actor);

    private static OrderResponse Of(Order o, Func<string, string> actor)
    {
        var c = o.Currency;
        return new(
            o.Id, o.Number, OrderWords.Status(o.Status), OrderWords.Type(o.Type), o.TableCode,
            Utc(o.PickupAt), Utc(o.ReadyAt), Utc(o.PlacedAt)!.Value, o.CustomerName, o.Note,
            OrderReasons.Word(o.ReasonCode, o.Reason), o.ReasonCode,
            [.. o.Lines.OrderBy(l => l.Id).Select(l => new OrderLineResponse(l.ItemId, l.Name, l.Options, l.Quantity, MoneyDto.Of(l.UnitPrice, c), MoneyDto.Of(l.LineTotal, c)))],
            MoneyDto.Of(o.ItemsTotal, c), [.. OrderWords.ParseDiscounts(o.Discounts).Select(d => new DiscountResponse(d.Label, MoneyDto.Of(d.Amount, c)))],
            MoneyDto.Of(o.Discount, c), MoneyDto.Of(o.DeliveryFee, c), MoneyDto.Of(o.Tip, c),
            [.. OrderWords.ParseTaxes(o.TaxBreakdown).Select(t => new TaxLineResponse(t.BasisPoints / 100m, MoneyDto.Of(t.Base, c), MoneyDto.Of(t.Tax, c)))],
            MoneyDto.Of(o.Tax, c), MoneyDto.Of(o.Total, c),
            [.. o.Transitions.OrderBy(t => t.At).ThenBy(t => t.Id).Select(t => new OrderTransitionResponse(
                OrderWords.Status(t.Status), Utc(t.At)!.Value, actor(t.Actor), OrderReasons.Word(t.ReasonCode, t.Reason), t.ReasonCode))],
            o.Payment == PaymentMethod.Balance ? "balance" : "counter", MoneyDto.Of(o.PaidFromBalance, c), o.PointsRedeemed, o.PointsEarned,
            MoneyDto.Of(o.RefundedTotal, c));
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

/// <summary>Wire names of order types and statuses (camelCase), in one place.</summary>
public static class OrderWords
{
    public static string Status(OrderStatus status) => JsonNamingPolicyCamel(status.ToString());

    public static string Type(OrderType type) => JsonNamingPolicyCamel(type.ToString());

    /// <summary>How chosen options are listed in the shop's language: "Large, Oat milk"; "大份、燕麦奶".</summary>
    public static string ListSeparator(string language) => language == "zh-Hans" ? "、" : ", ";

    /// <summary>A status as people call it, in English (a key to word with <see cref="Text.Say(string)"/>).</summary>
    public static string StatusName(OrderStatus status) => status.ToString();

    /// <summary>An order type as people call it, in English (a key to word with <see cref="Text.Say(string)"/>).</summary>
    public static string TypeName(OrderType type) => type switch
    {
        OrderType.DineIn => Text.Key("Dine-in"),
        OrderType.Pickup => Text.Key("Pickup"),
        _ => Text.Key("Delivery"),
    };

    public static OrderType? ParseType(string? value) => value switch
    {
        "dineIn" => OrderType.DineIn,
        "pickup" => OrderType.Pickup,
        "delivery" => OrderType.Delivery,
        _ => null,
    };

    /// <summary>The role behind a transition's actor: the customer, the node itself, or else someone of the shop (an account or an API token).</summary>
    public static string Role(string actor) => actor switch
    {
        "customer" => "customer",
        "system" => "system",
        _ => "shop",
    };

    public static OrderStatus? ParseStatus(string? value) =>
        Enum.TryParse<OrderStatus>(value, ignoreCase: true, out var status) && !int.TryParse(value, out _) ? status : null;

    public static string FormatTaxes(IEnumerable<TaxLine> taxes) =>
        string.Join(';', taxes.Select(t => $"{t.BasisPoints}:{t.Base}:{t.Tax}"));

    public static IEnumerable<TaxLine> ParseTaxes(string breakdown) =>
        breakdown.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split(':'))
            .Select(p => new TaxLine(int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)));

    public static string FormatDiscounts(IEnumerable<AppliedDiscount> discounts) =>
        string.Join(';', discounts.Select(d => $"{d.Label}:{d.Amount}"));

    public static IEnumerable<AppliedDiscount> ParseDiscounts(string discounts) =>
        discounts.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split(':'))
            .Select(p => new AppliedDiscount(p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
