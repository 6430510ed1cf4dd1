using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;

namespace Plaza.Features.Ordering;

public sealed record SlotResponse(DateTimeOffset Start, string LocalDate, string LocalTime);

/// <param name="Reason">Why it was rejected or cancelled, in the stream's language.</param>
public sealed record OrderStatusEvent(string Status, string Number, DateTimeOffset? ReadyAt, string? Reason);

public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapPost("/orders", Place)
            .WithName("PlaceOrder")
            .WithSummary("Places an order. Send an Idempotency-Key header: a retry with the same key returns the first order.")
            .Accepts<PlaceOrderRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = IdempotencyHeader,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Description = "Any unique string up to 255 characters. A retry with the same key and body returns the first order (201, Idempotent-Replayed: true); the same key with another body is refused (422).",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = 255 },
                });
                return Task.CompletedTask;
            })
            .RequireRateLimiting("orders");
        // Pricing a cart costs the node as much as placing one, so it gets the same body cap and the
        // same per-address budget (quotes and orders count together: a checkout quotes a few times).
        shopGroup.MapPost("/quote", QuoteCart)
            .WithName("QuoteCart")
            .WithSummary("Prices a cart on the server (items, options, tax, delivery fee, tip) without placing it.")
            .Accepts<QuoteRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting("orders");
        shopGroup.MapGet("/slots", Slots)
            .WithName("GetSlots")
            .WithSummary("Pickup and delivery times a customer may choose now.");
        shopGroup.MapGet("/orders/{id:guid}", Get)
            .WithName("GetOrder")
            .WithSummary("An order and its history; the id is the capability, no account needed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        shopGroup.MapGet("/orders/{id:guid}/events", Events)
            .WithName("OrderEvents")
            .WithSummary("Server-sent events: the order's status now, then each change. A few streams per order and per client address may be open at once (429 beyond).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        shopGroup.MapPost("/orders/{id:guid}/status", Move)
            .WithName("ChangeOrderStatus")
            .WithSummary("Staff: move an order along placed → accepted → preparing → ready → completed, or reject/cancel with a reason. Needs 'Authorization: Bearer <token>' from the console's API tokens page.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireStaffToken();
        return shopGroup;
    }

    private static async Task<Results<Created<OrderResponse>, ProblemHttpResult>> Place(
        HttpRequest request, PlaceOrder placeOrder, ShopScope scope, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var key = request.Headers[IdempotencyHeader].ToString();
        if (key.Length > 255)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { [IdempotencyHeader] = [Text.Say("At most 255 characters.")] });
        }
        var (body, order, problem) = await ReadJsonAsync<PlaceOrderRequest>(request, json.Value.SerializerOptions, Text.Key("an order"), ct);
        if (order is null)
        {
            return problem!;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        if ((order.Payment == "balance" || order.RedeemPoints > 0) && request.Headers[Loyalty.LoyaltyApi.MemberHeader] != "1")
        {
            // Spending a member's money or points needs the storefront's own header, which another site's page cannot send.
            return Problems.Make(StatusCodes.Status403Forbidden, "member-header-missing",
                Text.Say("Paying from a balance or with points works from the shop's own pages only."));
        }
        // A member signed in on the shop's own pages places the order as themselves; a guest costs nothing here.
        var member = await MemberOfAsync(request, ct);
        var outcome = await placeOrder.HandleAsync(order, key.Length == 0 ? null : key, hash, ct, Attribution.Read(request, scope.Current.Id), member);
        var location = $"/api/v1/shops/{scope.Current.Slug}/orders/";
        return outcome switch
        {
            PlaceOrder.Placed placed => TypedResults.Created(location + placed.Order.Id, placed.Order),
            PlaceOrder.Replayed replayed => Replay(request.HttpContext, location, replayed.Order),
            PlaceOrder.Refused refused => refused.Problem,
            _ => throw new InvalidOperationException("Unexpected outcome."),
        };
    }

    private static async Task<long?> MemberOfAsync(HttpRequest request, CancellationToken ct) =>
        request.Cookies.ContainsKey(Members.Members.CookieName)
            ? await request.HttpContext.RequestServices.GetRequiredService<Members.Members>().OrderingMemberAsync(request.HttpContext, ct)
            : null;

    private static Created<OrderResponse> Replay(HttpContext http, string location, OrderResponse order)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created(location + order.Id, order);
    }

    /// <summary>The body (at most <see cref="MaxBodyBytes"/>, refused unread beyond) as <typeparamref name="T"/>, or the problem to answer.</summary>
    internal static async Task<(byte[] Body, T? Value, ProblemHttpResult? Problem)> ReadJsonAsync<T>(
        HttpRequest request, JsonSerializerOptions options, string what, CancellationToken ct) where T : class
    {
        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return ([], null, Problems.Make(StatusCodes.Status413PayloadTooLarge, "too-large", Text.Say("The body of {0} has at most {1} KB.", Text.Say(what), MaxBodyBytes / 1024)));
        }
        try
        {
            return JsonSerializer.Deserialize<T>(body, options) is { } value
                ? (body, value, null)
                : (body, null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = [Text.Say("Send a JSON object.")] }, Text.Say("The body is not {0}.", Text.Say(what))));
        }
        catch (JsonException e)
        {
            return (body, null, Problems.Invalid(new Dictionary<string, string[]> { [JsonPath(e)] = [Text.Say("Not valid here (line {0}, byte {1}).", (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1)] }, Text.Say("The body is not {0}.", Text.Say(what))));
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string JsonPath(JsonException e) => string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');

    private static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> QuoteCart(
        HttpRequest http, ShopScope scope, Loyalty.Offers offers, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (_, request, problem) = await ReadJsonAsync<QuoteRequest>(http, json.Value.SerializerOptions, Text.Key("a cart"), ct);
        if (request is null)
        {
            return problem!;
        }
        var shop = scope.Current;
        var type = OrderWords.ParseType(request.Type ?? "pickup");
        var cart = Cart.Check(scope.Catalog, request.Items);
        var invalid = new Dictionary<string, string[]>(cart.Invalid);
        if (type is null)
        {
            invalid["type"] = [Text.Say("Type must be dineIn, pickup or delivery.")];
        }
        var (asked, notAsked) = Loyalty.Offers.Read(request.Coupons, request.RedeemPoints, null);
        foreach (var (field, messages) in notAsked)
        {
            invalid[field] = messages;
        }
        if (invalid.Count > 0)
        {
            return Problems.Invalid(invalid);
        }
        if (cart.SoldOut.Count > 0)
        {
            return Problems.Conflict("sold-out", Text.Say("Some items are sold out."), cart.SoldOut);
        }
        var itemsTotal = cart.Lines.Sum(l => l.LineTotal);
        var tip = !shop.TipsEnabled || request.Tip is null ? 0
            : request.Tip.Percent is { } p and >= 0 and <= 100 ? Pricing.TipFromPercent(itemsTotal, p)
            : Math.Clamp(request.Tip.Amount ?? 0, 0, 1_000_000);
        var resolved = await offers.ResolveAsync(shop, asked!, await MemberOfAsync(http, ct), cart.Lines, clock.GetUtcNow().UtcDateTime, ct);
        if (resolved is Loyalty.Offers.Refused refused)
        {
            return refused.Problem;
        }
        var discounts = ((Loyalty.Offers.Resolved)resolved).Discounts;
        return TypedResults.Ok(QuoteResponse.From(Pricing.Quote(shop, cart.Lines, type!.Value, tip, discounts), shop.DefaultLanguage));
    }

    private static Ok<List<SlotResponse>> Slots(ShopScope scope, TimeProvider clock)
    {
        var schedule = new OpeningSchedule(scope.Current);
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        return TypedResults.Ok(SlotsOf(schedule, now, 200));
    }

    public static List<SlotResponse> SlotsOf(OpeningSchedule schedule, Instant now, int limit) =>
        [.. schedule.Slots(now).Take(limit).Select(s =>
        {
            var local = s.InZone(schedule.Zone);
            return new SlotResponse(s.ToDateTimeOffset(), local.Date.ToString("yyyy-MM-dd", null), local.TimeOfDay.ToString("HH:mm", null));
        })];

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Get(Guid id, ShopScope scope, StatusReads reads, HttpContext http, CancellationToken ct) =>
        await reads.FindAsync(http.RequestServices.GetRequiredService<PlazaDb>, scope.Current.Id, id, ct) is { } order
            ? TypedResults.Ok(order)
            : Problems.NotFound(Text.Say("There is no such order in this shop."));

    private static async Task<Results<ServerSentEventsResult<OrderStatusEvent>, ProblemHttpResult>> Events(
        Guid id, PlazaDb db, OrderEvents events, LiveStreams streams, HttpContext http, CancellationToken ct)
    {
        var order = await OrderQueries.FindAsync(db, id, ct);
        if (order is null)
        {
            return Problems.NotFound(Text.Say("There is no such order in this shop."));
        }
        var limits = streams.Limits;
        if (streams.TryOpen(http, ("order:" + order.Id, limits.OrderStreamsPerOrder),
                (LiveStreams.AddressKey(http.Connection.RemoteIpAddress), limits.OrderStreamsPerAddress)) is { } refused)
        {
            return refused;
        }
        http.Response.Headers.CacheControl = "no-store";
        // Tells nginx and similar proxies not to buffer the stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Stream(order, db, events, ct));
    }

    /// <summary>The status now, then every change; re-read every 15 s as a keep-alive and a safety net.</summary>
    private static async IAsyncEnumerable<SseItem<OrderStatusEvent>> Stream(
        Order order, PlazaDb db, OrderEvents events, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = events.Subscribe(order.ShopId, order.Id);
        var current = order;
        yield return Item(current);
        while (!ct.IsCancellationRequested && OrderLifecycle.IsOpen(current.Status))
        {
            await subscription.NextAsync(TimeSpan.FromSeconds(15), ct);
            if (ct.IsCancellationRequested)
            {
                yield break;
            }
            var latest = await OrderQueries.FindAsync(db, order.Id, ct);
            if (latest is null)
            {
                yield break;
            }
            if (latest.Status != current.Status || latest.ReadyAt != current.ReadyAt)
            {
                yield return Item(latest);
            }
            current = latest;
        }
    }

    private static SseItem<OrderStatusEvent> Item(Order order) =>
        new(new OrderStatusEvent(OrderWords.Status(order.Status), order.Number,
            order.ReadyAt is { } r ? new DateTimeOffset(r) : null, OrderReasons.Word(order.ReasonCode, order.Reason)), "status");

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Move(
        Guid id, ChangeStatusRequest request, ChangeStatus changeStatus, HttpContext http, CancellationToken ct)
    {
        var actor = http.Items[StaffToken.ActorItem] as string ?? "staff";
        var (order, problem) = await changeStatus.HandleAsync(id, request, actor, ct);
        return problem ?? (Results<Ok<OrderResponse>, ProblemHttpResult>)TypedResults.Ok(order!);
    }
}
