using Microsoft.EntityFrameworkCore;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;
using Plaza.Features.Notifications;

namespace Plaza.Features.Ordering;

/// <summary>
/// Places an order: checks it against the menu, the clock and the shop's rules, then hands it to
/// the <see cref="OrderWriter"/>, which claims the idempotency key, a slot, stock and a number and
/// stores the order in one transaction (shared with whatever orders arrived at the same moment).
/// Nothing of an order is written unless everything holds.
/// </summary>
public sealed class PlaceOrder(PlazaDb db, ShopScope scope, TimeProvider clock, OrderEvents events, OrderWriter writer, ChannelDirectory channels, Attendance attendance, PlazaMetrics metrics, Loyalty.Offers offers)
{
    public const int MaxNameLength = 80;
    public const int MaxNoteLength = 500;

    public abstract record Outcome;
    public sealed record Placed(OrderResponse Order) : Outcome;
    public sealed record Replayed(OrderResponse Order) : Outcome;
    public sealed record Refused(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem) : Outcome;

    public async Task<Outcome> HandleAsync(PlaceOrderRequest request, string? idempotencyKey, string requestHash, CancellationToken ct,
        Attribution attribution = default, long? memberId = null)
    {
        var outcome = await DecideAsync(request, idempotencyKey, requestHash, attribution, memberId, ct);
        switch (outcome)
        {
            case Placed:
                metrics.OrderPlaced(scope.Current.Slug);
                break;
            case Refused refused:
                metrics.OrderRefused(scope.Current.Slug, refused.Problem.ProblemDetails.Type?.Split('/')[^1] ?? "unknown");
                break;
        }
        return outcome;
    }

    private async Task<Outcome> DecideAsync(PlaceOrderRequest request, string? idempotencyKey, string requestHash, Attribution attribution, long? memberId, CancellationToken ct)
    {
        var shop = scope.Current;
        if (idempotencyKey is not null && await FindReplayAsync(idempotencyKey, requestHash, ct) is { } earlier)
        {
            return earlier;
        }

        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var check = await CheckAsync(shop, request, now, memberId, ct);
        if (check is not Checked(var type, var quote, var pickupAt, var settlement))
        {
            return check;
        }

        var order = NewOrder(shop, request, type, quote, pickupAt, now);
        order.MemberId = memberId;
        if (settlement is { TakesAnything: true })
        {
            order.PointsRedeemed = settlement.PointsRedeemed;
            order.Payment = settlement.Payment;
            order.PaidFromBalance = settlement.Payment == PaymentMethod.Balance ? quote.Total : 0;
        }
        (order.FirstChannelId, order.LastChannelId) = await AttributeAsync(shop, order, attribution, ct);
        // Not cancellable from here on: once queued the order is written or refused as a whole, and a
        // client that went away gets it back by retrying with its key.
        switch (await writer.WriteAsync(new OrderWrite(shop, order, quote, idempotencyKey, requestHash, pickupAt?.ToUnixTimeSeconds(),
            settlement is { TakesAnything: true } ? settlement : null)))
        {
            case WriteResult.Refused refused:
                return new Refused(refused.Problem);
            case WriteResult.KeyTaken:
                // A concurrent retry with the same key committed first: answer with its order.
                return await FindReplayAsync(idempotencyKey!, requestHash, CancellationToken.None)
                    ?? throw new InvalidOperationException("Idempotency key conflicted but no order was found.");
        }
        events.Publish(shop.Id, order.Id, order.Status);
        return new Placed(OrderResponse.From(order));
    }

    private sealed record Checked(OrderType Type, Quote Quote, Instant? PickupAt, Loyalty.Settlement? Settlement) : Outcome;

    private async Task<Outcome> CheckAsync(Shop shop, PlaceOrderRequest request, Instant now, long? memberId, CancellationToken ct)
    {
        var invalid = new Dictionary<string, string[]>();
        var type = OrderWords.ParseType(request.Type);
        if (type is null)
        {
            invalid["type"] = [Text.Say("Type must be dineIn, pickup or delivery.")];
        }
        var name = request.Customer?.Name?.Trim();
        // A Chinese keyboard may give full-width digits (１３８…); NFKC makes them plain.
        var phone = (request.Customer?.Phone is { } typed ? Typed.Plain(typed).Trim() : null);
        // At a table the table says where the order goes, so by default nothing more is asked; what is
        // given is still checked. The owner sets what each kind of order must give.
        var ask = shop.ContactFor(type ?? OrderType.Pickup);
        if (string.IsNullOrEmpty(name) ? ask == ContactAsk.NameAndPhone : name.Length > MaxNameLength)
        {
            invalid["customer.name"] = [Text.Say("Give a name of 1 to {0} characters.", MaxNameLength)];
        }
        else if (HasControlCharacters(name))
        {
            invalid["customer.name"] = [Text.Say("A name cannot contain control characters.")];
        }
        if (string.IsNullOrEmpty(phone) ? ask >= ContactAsk.Phone : !IsPhone(phone) || HasControlCharacters(phone))
        {
            invalid["customer.phone"] = [Text.Say("Give a phone number of 6 to 20 digits.")];
        }
        if (request.Note is { Length: > MaxNoteLength })
        {
            invalid["note"] = [Text.Say("A note has at most {0} characters.", MaxNoteLength)];
        }
        else if (HasControlCharacters(request.Note, lineBreaks: true))
        {
            invalid["note"] = [Text.Say("A note cannot contain control characters other than line breaks.")];
        }
        if (HasControlCharacters(request.Address?.Text, lineBreaks: true))
        {
            invalid["address"] = [Text.Say("An address cannot contain control characters other than line breaks.")];
        }
        var cart = Cart.Check(scope.Catalog, request.Items);
        foreach (var (field, messages) in cart.Invalid)
        {
            invalid[field] = messages;
        }
        if (type == OrderType.DineIn)
        {
            if (string.IsNullOrWhiteSpace(request.Table))
            {
                invalid["table"] = [Text.Say("Dine-in orders name their table.")];
            }
            else if (!scope.Catalog.Tables.ContainsKey(request.Table))
            {
                invalid["table"] = [Text.Say("There is no table '{0}'.", request.Table)];
            }
            if (request.PickupAt is not null)
            {
                invalid["pickupAt"] = [Text.Say("Dine-in orders are served as soon as possible.")];
            }
        }
        if (type == OrderType.Delivery && (request.Address?.Latitude is null || request.Address.Longitude is null || string.IsNullOrWhiteSpace(request.Address.Text)))
        {
            invalid["address"] = [Text.Say("Delivery needs an address with its latitude and longitude.")];
        }
        var tip = 0L;
        if (request.Tip is { } tipRequest && (tipRequest.Percent is not null || tipRequest.Amount is not null))
        {
            if (!shop.TipsEnabled)
            {
                invalid["tip"] = [Text.Say("This shop does not take tips.")];
            }
            else if (tipRequest.Percent is { } percent)
            {
                tip = percent is >= 0 and <= 100 ? Pricing.TipFromPercent(cart.Lines.Sum(l => l.LineTotal), percent) : -1;
            }
            else
            {
                tip = tipRequest.Amount!.Value;
            }
            if (tip < 0 || tip > 1_000_000)
            {
                invalid["tip"] = [Text.Say("A tip is between 0 and 100 % of the order.")];
            }
        }
        var (asked, notAsked) = Loyalty.Offers.Read(request.Coupons, request.RedeemPoints, request.Payment);
        foreach (var (field, messages) in notAsked)
        {
            invalid[field] = messages;
        }
        if (invalid.Count > 0)
        {
            return new Refused(Problems.Invalid(invalid));
        }

        if (!shop.Accepts(type!.Value))
        {
            return new Refused(Problems.Conflict("order-type-not-offered", Text.Say("{0} does not offer {1} orders.", shop.Name, Text.Say(OrderWords.TypeName(type.Value))),
                new Dictionary<string, string[]> { ["type"] = [Text.Say("Not offered by this shop.")] }));
        }
        if (shop.IsPausedAt(now.ToDateTimeUtc()))
        {
            return new Refused(Problems.Conflict("shop-paused", Text.Say("{0} is not taking orders right now.", shop.Name)));
        }
        if (!await attendance.IsAttendedAsync(shop, ct))
        {
            return new Refused(Problems.Conflict("shop-unattended",
                Text.Say("{0} takes orders only while someone is there to accept them, and nobody is right now. Try again in a little while, or call the shop.", shop.Name)));
        }
        if (cart.SoldOut.Count > 0)
        {
            return new Refused(Problems.Conflict("sold-out", Text.Say("Some items are sold out."), cart.SoldOut));
        }

        var schedule = new OpeningSchedule(shop);
        Instant? pickupAt = request.PickupAt is { } wanted ? Instant.FromDateTimeOffset(wanted) : null;
        if (pickupAt is { } slot)
        {
            if (!schedule.IsOfferedSlot(slot, now))
            {
                return new Refused(Problems.Conflict("slot-unavailable",
                    Text.Say("That time is not offered: it is in the past, inside the preparation time, outside opening hours or not a slot start."),
                    new Dictionary<string, string[]> { ["pickupAt"] = [Text.Say("Choose one of the offered times.")] }));
            }
        }
        else if (type == OrderType.DineIn ? !schedule.IsOpenAt(now) : !schedule.CanServeSoon(now))
        {
            return new Refused(Problems.Conflict("shop-closed", Text.Say("{0} is closed now; order for a later time instead.", shop.Name)));
        }

        var resolved = await offers.ResolveAsync(shop, asked!, memberId, cart.Lines, now.ToDateTimeUtc(), ct);
        if (resolved is Loyalty.Offers.Refused offerRefused)
        {
            return new Refused(offerRefused.Problem);
        }
        var (discounts, settlement, member, pointsValue) = (Loyalty.Offers.Resolved)resolved;
        var quote = Pricing.Quote(shop, cart.Lines, type.Value, tip, discounts);
        if (settlement.PointsRedeemed > 0 && quote.Discounts.Single(d => d.Label == Loyalty.Offers.PointsLabel).Amount < pointsValue)
        {
            return new Refused(Problems.Conflict("points-exceed-order", Text.Say("These points are worth more than the items left to pay; use fewer."),
                new Dictionary<string, string[]> { ["redeemPoints"] = [Text.Say("Too many points for this order.")] }));
        }
        if (settlement.Payment == PaymentMethod.Balance && member!.Balance < quote.Total)
        {
            return new Refused(Problems.Conflict("balance-too-low",
                Text.Say("Your balance of {0} does not cover {1}; pay at the counter instead.", new Money(member.Balance, shop.Currency), new Money(quote.Total, shop.Currency)),
                new Dictionary<string, string[]> { ["payment"] = [Text.Say("The balance is too low.")] }));
        }
        if (type == OrderType.Delivery)
        {
            var distance = Geo.DistanceMeters(shop.Latitude, shop.Longitude, request.Address!.Latitude!.Value, request.Address.Longitude!.Value);
            if (distance > shop.DeliveryRadiusMeters)
            {
                return new Refused(Problems.Conflict("outside-delivery-area",
                    $"The address is {distance / 1000:0.0} km away; {shop.Name} delivers within {shop.DeliveryRadiusMeters / 1000.0:0.0} km.",
                    new Dictionary<string, string[]> { ["address"] = [Text.Say("Outside the delivery area.")] }));
            }
            if (quote.ItemsTotal < shop.DeliveryMinimum)
            {
                return new Refused(Problems.Conflict("below-minimum",
                    $"Delivery needs items worth at least {new Money(shop.DeliveryMinimum, shop.Currency)}."));
            }
        }
        if (request.ExpectedTotal is { } expected && (expected.Amount != quote.Total || expected.Currency != quote.Currency))
        {
            return new Refused(Problems.Conflict("price-changed",
                Text.Say("The total is now {0}, not {1}; review the cart and order again.", new Money(quote.Total, quote.Currency), new Money(expected.Amount, expected.Currency ?? quote.Currency)),
                new Dictionary<string, string[]> { ["expectedTotal"] = [Text.Say("The server's total is {0} {1}.", quote.Total, quote.Currency)] }));
        }
        return new Checked(type.Value, quote, pickupAt, settlement);
    }

    /// <summary>
    /// The order's first and last channel: the attribution cookie's, each only if it is this shop's; a dine-in
    /// order's last touch is its table's code, scanned to order.
    /// </summary>
    private async Task<(int? First, int? Last)> AttributeAsync(Shop shop, Order order, Attribution attribution, CancellationToken ct)
    {
        var first = attribution.First is { } f ? (await channels.FindAsync(shop.Id, f, ct))?.Id : null;
        var last = attribution.Last is { } l ? (await channels.FindAsync(shop.Id, l, ct))?.Id : null;
        if (order.TableCode is { } table)
        {
            last = (await channels.EnsureAsync(shop.Id, ChannelCodes.Table(table), ChannelKind.Table, table, ct)).Id;
        }
        return (first ?? last, last);
    }

    /// <summary>
    /// A character no keyboard types (NUL, escape, bell …): PostgreSQL cannot store NUL in text at all, and none of them
    /// means anything on a kitchen ticket, so they are refused as bad input rather than failing the store later.
    /// </summary>
    internal static bool HasControlCharacters(string? text, bool lineBreaks = false) =>
        text is not null && text.Any(c => char.IsControl(c) && !(lineBreaks && c is '\n' or '\r' or '\t'));

    internal static bool IsPhone(string phone)
    {
        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= 6 and <= 20 && phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.');
    }

    private static Order NewOrder(Shop shop, PlaceOrderRequest request, OrderType type, Quote quote, Instant? pickupAt, Instant now)
    {
        var id = Guid.CreateVersion7(now.ToDateTimeOffset());
        var placedAt = now.ToDateTimeUtc();
        var order = new Order
        {
            Id = id,
            ShopId = shop.Id,
            Number = "",
            BusinessDay = BusinessDayOf(shop, now),
            Type = type,
            Status = OrderStatus.Placed,
            TableCode = type == OrderType.DineIn ? request.Table : null,
            PickupAt = pickupAt?.ToDateTimeUtc(),
            DeliveryAddress = type == OrderType.Delivery ? request.Address?.Text?.Trim() : null,
            CustomerName = request.Customer?.Name?.Trim() ?? "",
            CustomerPhone = request.Customer?.Phone is { } phone ? Typed.Plain(phone).Trim() : "",
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            Currency = quote.Currency,
            ItemsTotal = quote.ItemsTotal,
            Discount = quote.Discount,
            Discounts = OrderWords.FormatDiscounts(quote.Discounts),
            DeliveryFee = quote.DeliveryFee,
            Tip = quote.Tip,
            Tax = quote.Tax,
            Total = quote.Total,
            PricesIncludeTax = quote.PricesIncludeTax,
            TaxBreakdown = OrderWords.FormatTaxes(quote.Taxes),
            PlacedAt = placedAt,
        };
        order.Lines.AddRange(quote.Lines.Select(l => new OrderLine
        {
            ShopId = shop.Id,
            OrderId = id,
            ItemId = l.Item.Id,
            Name = l.Item.Name,
            Options = string.Join(OrderWords.ListSeparator(shop.DefaultLanguage), l.Options.Select(o => o.Name)),
            OptionIds = string.Join(',', l.Options.Select(o => o.Id)),
            Quantity = l.Quantity,
            UnitPrice = l.UnitPrice,
            LineTotal = l.LineTotal,
            TaxBasisPoints = l.TaxBasisPoints,
        }));
        order.Transitions.Add(new OrderTransition { ShopId = shop.Id, OrderId = id, Status = OrderStatus.Placed, At = placedAt, Actor = "customer" });
        if (shop.AutoAccept)
        {
            order.Status = OrderStatus.Accepted;
            order.Transitions.Add(new OrderTransition { ShopId = shop.Id, OrderId = id, Status = OrderStatus.Accepted, At = placedAt, Actor = "system" });
        }
        return order;
    }

    public static int BusinessDayOf(Shop shop, Instant instant)
    {
        var date = new OpeningSchedule(shop).LocalDateOf(instant);
        return (date.Year * 10000) + (date.Month * 100) + date.Day;
    }

    private async Task<Outcome?> FindReplayAsync(string key, string requestHash, CancellationToken ct)
    {
        var earlier = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Key == key, ct);
        if (earlier is null)
        {
            return null;
        }
        if (earlier.RequestHash != requestHash)
        {
            return new Refused(Problems.Unprocessable("idempotency-key-reused",
                Text.Say("This Idempotency-Key was already used for a different order; use a new key for a new order.")));
        }
        var order = await OrderQueries.FindAsync(db, earlier.OrderId, ct);
        return new Replayed(OrderResponse.From(order!));
    }
}
