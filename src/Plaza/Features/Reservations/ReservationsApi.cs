using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Ordering;

namespace Plaza.Features.Reservations;

/// <summary>Free times, and booking, viewing, changing and cancelling a reservation; the id is the guest's capability, as an order's is.</summary>
public static class ReservationsApi
{
    public static RouteGroupBuilder MapReservationsApi(this RouteGroupBuilder shopGroup)
    {
        shopGroup.MapGet("/reservations/availability", GetAvailability)
            .WithName("GetReservationAvailability")
            .WithSummary("Times on a local date (yyyy-MM-dd, the shop's zone) at which a table or combination is free for a party's whole seating.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        shopGroup.MapPost("/reservations", Book)
            .WithName("BookTable")
            .WithSummary("Books a table at one of the free times. Send an Idempotency-Key header: a retry with the same key returns the first reservation.")
            .Accepts<BookingRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
                {
                    Name = OrdersApi.IdempotencyHeader,
                    In = Microsoft.OpenApi.ParameterLocation.Header,
                    Description = "Any unique string up to 255 characters. A retry with the same key and body returns the first reservation (201, Idempotent-Replayed: true); the same key with another body is refused (422).",
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, MaxLength = 255 },
                });
                return Task.CompletedTask;
            })
            .RequireRateLimiting("orders");
        shopGroup.MapGet("/reservations/{id:guid}", Get)
            .WithName("GetReservation")
            .WithSummary("A reservation; the id is the capability, no account needed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        shopGroup.MapPost("/reservations/{id:guid}/change", Change)
            .WithName("ChangeReservation")
            .WithSummary("Moves a reservation to another free time or party size until the shop's cut-off; refused (409) when no table would be free, and then nothing changes.")
            .Accepts<ChangeReservationRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting("orders");
        shopGroup.MapPost("/reservations/{id:guid}/cancel", Cancel)
            .WithName("CancelReservation")
            .WithSummary("Cancels a reservation until the shop's cut-off and frees its table.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return shopGroup;
    }

    private static async Task<Results<Ok<AvailabilityResponse>, ProblemHttpResult>> GetAvailability(
        string? date, int? party, ShopScope scope, PlazaDb db, TimeProvider clock, CancellationToken ct)
    {
        var invalid = new Dictionary<string, string[]>();
        var parsed = LocalDatePattern.Iso.Parse(date ?? "");
        if (!parsed.Success)
        {
            invalid["date"] = [Text.Say("Give a date as yyyy-MM-dd.")];
        }
        var availability = await Availability.LoadAsync(db, scope.Current, ct);
        if (availability is null)
        {
            return Problems.Conflict("reservations-off", Text.Say("This shop takes no reservations online."));
        }
        if (party is not { } size || size < 1 || size > availability.Settings.MaxParty)
        {
            invalid["party"] = [Text.Say("A party of 1 to {0} can book online; call the shop for more.", availability.Settings.MaxParty)];
        }
        if (invalid.Count > 0)
        {
            return Problems.Invalid(invalid);
        }
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var times = await availability.FreeTimesAsync(db, parsed.Value, party!.Value, now, null, ct);
        return TypedResults.Ok(new AvailabilityResponse(date!, party.Value, availability.Settings.SeatingMinutes(party.Value),
            [.. times.Select(t => new SlotResponse(t.ToDateTimeOffset(), date!, availability.LocalTime(t)))]));
    }

    private static async Task<Results<Created<ReservationResponse>, ProblemHttpResult>> Book(
        HttpRequest request, Bookings bookings, ShopScope scope, PlazaDb db, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var key = request.Headers[OrdersApi.IdempotencyHeader].ToString();
        if (key.Length > 255)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { [OrdersApi.IdempotencyHeader] = [Text.Say("At most 255 characters.")] });
        }
        var (body, booking, problem) = await OrdersApi.ReadJsonAsync<BookingRequest>(request, json.Value.SerializerOptions, Text.Key("a reservation"), ct);
        if (booking is null)
        {
            return problem!;
        }
        var member = request.Cookies.ContainsKey(Members.Members.CookieName)
            ? await request.HttpContext.RequestServices.GetRequiredService<Members.Members>().OrderingMemberAsync(request.HttpContext, ct)
            : null;
        var outcome = await bookings.BookAsync(booking, key.Length == 0 ? null : key, Convert.ToHexStringLower(SHA256.HashData(body)), member, ct);
        switch (outcome)
        {
            case Bookings.Done done:
                if (done.Replayed)
                {
                    request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                }
                var response = await ResponseAsync(db, scope, clock, done.Reservation, ct);
                return TypedResults.Created($"/api/v1/shops/{scope.Current.Slug}/reservations/{response.Id}", response);
            case Bookings.Refused refused:
                return refused.Problem;
            default:
                throw new InvalidOperationException("Unexpected outcome.");
        }
    }

    private static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> Get(Guid id, ShopScope scope, PlazaDb db, TimeProvider clock, CancellationToken ct) =>
        await db.Reservations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } reservation
            ? TypedResults.Ok(await ResponseAsync(db, scope, clock, reservation, ct))
            : Problems.NotFound(Text.Say("There is no such reservation."));

    private static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> Change(
        Guid id, HttpRequest request, Bookings bookings, ShopScope scope, PlazaDb db, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (_, change, problem) = await OrdersApi.ReadJsonAsync<ChangeReservationRequest>(request, json.Value.SerializerOptions, Text.Key("a change"), ct);
        if (change is null)
        {
            return problem!;
        }
        return await bookings.ChangeAsync(id, change, ct) switch
        {
            Bookings.Done done => TypedResults.Ok(await ResponseAsync(db, scope, clock, done.Reservation, ct)),
            Bookings.Refused refused => refused.Problem,
            _ => throw new InvalidOperationException("Unexpected outcome."),
        };
    }

    private static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> Cancel(
        Guid id, Bookings bookings, ShopScope scope, PlazaDb db, TimeProvider clock, CancellationToken ct) =>
        await bookings.CancelAsync(id, ct) switch
        {
            Bookings.Done done => TypedResults.Ok(await ResponseAsync(db, scope, clock, done.Reservation, ct)),
            Bookings.Refused refused => refused.Problem,
            _ => throw new InvalidOperationException("Unexpected outcome."),
        };

    private static async Task<ReservationResponse> ResponseAsync(PlazaDb db, ShopScope scope, TimeProvider clock, Reservation reservation, CancellationToken ct) =>
        ReservationResponse.From(reservation, scope.Current, await db.ReservationSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new(),
            Instant.FromDateTimeOffset(clock.GetUtcNow()));
}
