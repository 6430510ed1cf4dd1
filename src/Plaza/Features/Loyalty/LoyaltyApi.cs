using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Members;
using Plaza.Features.Ordering;

namespace Plaza.Features.Loyalty;

public sealed record MemberResponse(long Id, string? Email, string? Name, DateTimeOffset JoinedAt, long Points, MoneyDto Balance, bool Marketing);

public sealed record LedgerEntryResponse(long Id, string Account, string Kind, long Amount, Guid? OrderId, string? Reason, string Actor, DateTimeOffset At, DateTimeOffset? ExpiresAt);

public sealed record MemberDetailResponse(MemberResponse Member, List<LedgerEntryResponse> Ledger, List<IssuedCodeResponse> Codes);

public sealed record IssuedCodeResponse(string Code, int CouponId, string Coupon, long? MemberId, DateTimeOffset IssuedAt, Guid? UsedByOrderId);

public sealed record CouponResponse(
    int Id, string Name, string Kind, int? PercentOff, MoneyDto? AmountOff, int? FreeItemId, MoneyDto MinimumSpend,
    DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, List<int> ItemIds, List<int> CategoryIds,
    int? PerMemberLimit, int? TotalLimit, int Uses, string? SharedCode, bool Stackable, bool Withdrawn, int? PointsCost);

public sealed record CouponUseResponse(Guid OrderId, long? MemberId, string Code, MoneyDto Amount, DateTimeOffset At, DateTimeOffset? ReleasedAt);

public sealed record LoyaltyRulesDto(int PointsPerUnit, int PointsPerVisit, int PointsPerUnitOff, int PointsExpireAfterDays, List<TopUpOfferDto> TopUpOffers);

public sealed record TopUpOfferDto(long Amount, long Bonus);

/// <summary>The signed-in member's own figures, for the storefront's checkout and member page.</summary>
public sealed record MeResponse(long Points, MoneyDto Balance, MoneyDto PointsWorth, int PointsStep, List<IssuedCodeResponse> Coupons);

/// <summary>
/// The loyalty API: staff look members up and top up at the counter; owners correct, refund, and manage coupons
/// and the points rules (bearer tokens from the console). The member's own figures are read with their cookie.
/// </summary>
public static class LoyaltyApi
{
    /// <summary>
    /// Sent by the storefront's own script with every request that spends a member's points or balance. A page of
    /// another site cannot add a header to a cross-site request without the node's CORS consent, which it never gives.
    /// </summary>
    public const string MemberHeader = "Plaza-Member";

    public static RouteGroupBuilder MapLoyaltyApi(this RouteGroupBuilder shop)
    {
        shop.MapGet("/members", ListMembers).RequireStaffToken()
            .WithName("ListMembers").WithSummary("Members, newest first; q searches e-mail and name.");
        shop.MapGet("/members/{id:long}", GetMember).RequireStaffToken()
            .WithName("GetMember").WithSummary("A member with every ledger entry (points and balance) and the codes issued to them.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapPost("/members/{id:long}/top-ups", TopUp).RequireStaffToken()
            .WithName("TopUp").WithSummary("Staff: money paid in at the counter goes onto the member's balance, with the bonus of the offer it reaches.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapPost("/members/{id:long}/adjustments", Adjust).RequireOwnerToken()
            .WithName("AdjustMember").WithSummary("Owner: corrects points or balance with a reason; never below zero.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        shop.MapPost("/orders/{id:guid}/refunds", Refund).RequireOwnerToken()
            .WithName("RefundOrder").WithSummary("Owner: refunds a completed order in full (no amount) or in part, with a reason.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        shop.MapGet("/coupons", ListCoupons).RequireStaffToken()
            .WithName("ListCoupons").WithSummary("The shop's coupons with their uses so far.");
        shop.MapPost("/coupons", CreateCoupon).RequireOwnerToken()
            .WithName("CreateCoupon").WithSummary("Owner: a new coupon (percent off, amount off or a free item).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        shop.MapPost("/coupons/{id:int}/codes", IssueCodes).RequireOwnerToken()
            .WithName("IssueCouponCodes").WithSummary("Owner: single-use codes of a coupon, one for a member or up to 500 to print.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapGet("/coupons/{id:int}/uses", CouponUses).RequireStaffToken()
            .WithName("ListCouponUses").WithSummary("Orders that used a coupon, and whether the use was given back.");
        shop.MapDelete("/coupons/{id:int}", WithdrawCoupon).RequireOwnerToken()
            .WithName("WithdrawCoupon").WithSummary("Owner: the coupon stops applying; its history stays.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapGet("/loyalty", GetRules)
            .WithName("GetLoyaltyRules").WithSummary("How members earn and use points here, and the top-up offers.");
        shop.MapPut("/loyalty", PutRules).RequireOwnerToken()
            .WithName("PutLoyaltyRules").WithSummary("Owner: sets the points rules and top-up offers.")
            .ProducesValidationProblem();
        shop.MapGet("/me", Me)
            .WithName("GetMe").WithSummary("The signed-in member's points, balance and coupons (the member cookie of this shop).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return shop;
    }

    private static async Task<Ok<List<MemberResponse>>> ListMembers(string? q, PlazaDb db, ShopScope scope, CancellationToken ct)
    {
        var members = db.Members.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            members = Member.Matching(members, q);
        }
        var list = await members.OrderByDescending(m => m.JoinedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(list.Select(m => Response(m, scope.Current.Currency)).ToList());
    }

    private static async Task<Results<Ok<MemberDetailResponse>, ProblemHttpResult>> GetMember(long id, PlazaDb db, ShopScope scope, CancellationToken ct)
    {
        if (await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is not { } member)
        {
            return Problems.NotFound(Text.Say("There is no such member in this shop."));
        }
        var ledger = await db.Ledger.AsNoTracking().Where(e => e.MemberId == id).OrderBy(e => e.Id).ToListAsync(ct);
        return TypedResults.Ok(new MemberDetailResponse(Response(member, scope.Current.Currency), [.. ledger.Select(Response)],
            await CodesAsync(db, id, unusedOnly: false, ct)));
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> TopUp(long id, TopUpRequest request, StoredValue stored, ShopScope scope, HttpContext http, CancellationToken ct)
    {
        var (member, problem) = await stored.TopUpAsync(id, request, Actor(http), ct);
        return problem ?? (Results<Ok<MemberResponse>, ProblemHttpResult>)TypedResults.Ok(Response(member!, scope.Current.Currency));
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> Adjust(long id, AdjustmentRequest request, StoredValue stored, ShopScope scope, HttpContext http, CancellationToken ct)
    {
        var (member, problem) = await stored.AdjustAsync(id, request, Actor(http), ct);
        return problem ?? (Results<Ok<MemberResponse>, ProblemHttpResult>)TypedResults.Ok(Response(member!, scope.Current.Currency));
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Refund(Guid id, RefundRequest request, Refunds refunds, HttpContext http, CancellationToken ct)
    {
        var (order, problem) = await refunds.RefundAsync(id, request, Actor(http), ct);
        return problem ?? (Results<Ok<OrderResponse>, ProblemHttpResult>)TypedResults.Ok(order!);
    }

    private static async Task<Ok<List<CouponResponse>>> ListCoupons(PlazaDb db, ShopScope scope, CancellationToken ct) =>
        TypedResults.Ok((await db.Coupons.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(ct)).Select(c => Response(c, scope.Current.Currency)).ToList());

    private static async Task<Results<Created<CouponResponse>, ProblemHttpResult>> CreateCoupon(CouponRequest request, CouponBook book, ShopScope scope, CancellationToken ct)
    {
        var (coupon, problem) = await book.CreateAsync(request, ct);
        return problem ?? (Results<Created<CouponResponse>, ProblemHttpResult>)TypedResults.Created($"/api/v1/shops/{scope.Current.Slug}/coupons/{coupon!.Id}", Response(coupon, scope.Current.Currency));
    }

    private static async Task<Results<Ok<List<IssuedCodeResponse>>, ProblemHttpResult>> IssueCodes(int id, IssueRequest request, CouponBook book, PlazaDb db, CancellationToken ct)
    {
        var (codes, problem) = await book.IssueAsync(id, request, ct);
        if (problem is not null)
        {
            return problem;
        }
        var name = (await db.Coupons.AsNoTracking().FirstAsync(c => c.Id == id, ct)).Name;
        return TypedResults.Ok(codes!.Select(c => new IssuedCodeResponse(c.Code, c.CouponId, name, c.MemberId, Utc(c.IssuedAt), c.UsedByOrderId)).ToList());
    }

    private static async Task<Ok<List<CouponUseResponse>>> CouponUses(int id, PlazaDb db, ShopScope scope, CancellationToken ct) =>
        TypedResults.Ok((await db.CouponUses.AsNoTracking().Where(u => u.CouponId == id).OrderBy(u => u.Id).ToListAsync(ct))
            .Select(u => new CouponUseResponse(u.OrderId, u.MemberId, u.Code, MoneyDto.Of(u.Amount, scope.Current.Currency), Utc(u.At), u.ReleasedAt is { } r ? Utc(r) : null)).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> WithdrawCoupon(int id, CouponBook book, CancellationToken ct) =>
        await book.WithdrawAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound(Text.Say("There is no such coupon in this shop."));

    private static async Task<Ok<LoyaltyRulesDto>> GetRules(PlazaDb db, ShopScope scope, CancellationToken ct) =>
        TypedResults.Ok(Dto(await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(scope.Current.ProgrammeId)));

    private static async Task<Results<Ok<LoyaltyRulesDto>, ProblemHttpResult>> PutRules(LoyaltyRulesDto request, PlazaDb db, ShopScope scope, CancellationToken ct)
    {
        var (rules, invalid) = await LoyaltyRules.SaveAsync(db, scope.Current.ProgrammeId, request, ct);
        return rules is null ? Problems.Invalid(invalid) : TypedResults.Ok(Dto(rules));
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> Me(HttpContext http, Members.Members members, PlazaDb db, ShopScope scope, CancellationToken ct)
    {
        if (await members.CurrentAsync(http, ct) is not { } member)
        {
            return Problems.Make(StatusCodes.Status401Unauthorized, "member-needed", Text.Say("Sign in as a member of {0} first.", scope.Current.Name));
        }
        http.Response.Headers.CacheControl = "private, no-store";
        var rules = await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(scope.Current.ProgrammeId);
        var currency = scope.Current.Currency;
        return TypedResults.Ok(new MeResponse(member.Points, MoneyDto.Of(member.Balance, currency), MoneyDto.Of(rules.ValueOf(Math.Max(0, member.Points), currency), currency),
            rules.PointsPerUnitOff, await CodesAsync(db, member.Id, unusedOnly: true, ct)));
    }

    /// <param name="everyShop">Codes from every shop of the member's programme (the data export), not only the shop in scope.</param>
    public static async Task<List<IssuedCodeResponse>> CodesAsync(PlazaDb db, long memberId, bool unusedOnly, CancellationToken ct, bool everyShop = false) =>
        await (from code in everyShop ? db.CouponCodes.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking() : db.CouponCodes.AsNoTracking()
               join coupon in everyShop ? db.Coupons.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking() : db.Coupons.AsNoTracking() on code.CouponId equals coupon.Id
               where code.MemberId == memberId && (!unusedOnly || code.UsedByOrderId == null && coupon.WithdrawnAt == null)
               orderby code.Id
               select new IssuedCodeResponse(code.Code, coupon.Id, coupon.Name, code.MemberId, code.IssuedAt, code.UsedByOrderId)).ToListAsync(ct);

    private static string Actor(HttpContext http) => http.Items[StaffToken.ActorItem] as string ?? "staff";

    public static MemberResponse Response(Member m, string currency) =>
        new(m.Id, m.Email, m.Name, Utc(m.JoinedAt), m.Points, MoneyDto.Of(m.Balance, currency), m.MarketingConsentAt is not null);

    private static LedgerEntryResponse Response(LedgerEntry e) =>
        new(e.Id, e.Account == LedgerAccount.Points ? "points" : "balance", System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Kind.ToString()),
            e.Amount, e.OrderId, e.Reason, e.Actor, Utc(e.At), e.ExpiresAt is { } x ? Utc(x) : null);

    private static CouponResponse Response(Coupon c, string currency) =>
        new(c.Id, c.Name, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.Kind.ToString()),
            c.Kind == CouponKind.PercentOff ? (int)(c.Value / 100) : null, c.Kind == CouponKind.AmountOff ? MoneyDto.Of(c.Value, currency) : null,
            c.FreeItemId, MoneyDto.Of(c.MinimumSpend, currency), c.ValidFrom is { } f ? Utc(f) : null, c.ValidUntil is { } u ? Utc(u) : null,
            [.. c.ItemIdList], [.. c.CategoryIdList], c.PerMemberLimit, c.TotalLimit, c.Uses, c.SharedCode, c.Stackable, c.WithdrawnAt is not null, c.PointsCost);

    private static LoyaltyRulesDto Dto(LoyaltyRules r) =>
        new(r.PointsPerUnit, r.PointsPerVisit, r.PointsPerUnitOff, r.PointsExpireAfterDays, [.. r.Offers.Select(o => new TopUpOfferDto(o.Amount, o.Bonus))]);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
