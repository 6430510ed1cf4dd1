using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Members;

namespace Plaza.Features.Loyalty;

public sealed record TopUpRequest(long? Amount);

/// <param name="Account">"points" or "balance".</param>
public sealed record AdjustmentRequest(string? Account, long? Amount, string? Reason);

/// <summary>
/// Money a member pays in at the counter (with the bonus of the shop's offer it reaches) and the owner's
/// corrections. Both are ledger entries naming who made them; a correction also says why.
/// </summary>
public sealed class StoredValue(PlazaDb db, ShopScope scope, TimeProvider clock)
{
    /// <summary>The most one top-up may be, in minor units: a typo's extra zeros stop here.</summary>
    public const long MaxTopUp = 10_000_000;

    public async Task<(Member? Member, ProblemHttpResult? Problem)> TopUpAsync(long memberId, TopUpRequest request, string actor, CancellationToken ct)
    {
        if (request.Amount is not ({ } amount and > 0 and <= MaxTopUp))
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["amount"] = [Text.Say("A top-up is between 0.01 and {0} in minor units.", MaxTopUp)] }));
        }
        if (await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, ct) is not { } member)
        {
            return (null, NoSuchMember());
        }
        var rules = await db.LoyaltyRules.AsNoTracking().FirstOrDefaultAsync(ct) ?? LoyaltyRules.None(member.ShopId);
        var bonus = rules.BonusFor(amount);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await Wallet.MoveAsync(db, Wallet.Entry(scope.Current, member.Id, LedgerAccount.Balance, LedgerKind.TopUp, amount, null, actor, now), ct: ct);
            if (bonus > 0)
            {
                await Wallet.MoveAsync(db, Wallet.Entry(scope.Current, member.Id, LedgerAccount.Balance, LedgerKind.Bonus, bonus, null, actor, now), ct: ct);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return (await db.Members.AsNoTracking().FirstAsync(m => m.Id == memberId, ct), null);
    }

    public async Task<(Member? Member, ProblemHttpResult? Problem)> AdjustAsync(long memberId, AdjustmentRequest request, string actor, CancellationToken ct)
    {
        var invalid = new Dictionary<string, string[]>();
        LedgerAccount? account = request.Account switch
        {
            "points" => LedgerAccount.Points,
            "balance" => LedgerAccount.Balance,
            _ => null,
        };
        if (account is null)
        {
            invalid["account"] = [Text.Say("Account is points or balance.")];
        }
        if (request.Amount is not ({ } amount and not 0 and >= -MaxTopUp and <= MaxTopUp))
        {
            invalid["amount"] = [Text.Say("A correction is a non-zero amount up to {0} either way.", MaxTopUp)];
        }
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 300)
        {
            invalid["reason"] = [Text.Say("Say why in 1 to 300 characters; it is kept with the correction.")];
        }
        if (invalid.Count > 0)
        {
            return (null, Problems.Invalid(invalid));
        }
        if (await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, ct) is not { } member)
        {
            return (null, NoSuchMember());
        }
        var entry = Wallet.Entry(scope.Current, member.Id, account!.Value, LedgerKind.Adjusted, request.Amount!.Value, null, actor, clock.GetUtcNow().UtcDateTime, reason);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Wallet.MoveAsync(db, entry, ct: ct))
        {
            return (null, Problems.Conflict("would-go-negative", account == LedgerAccount.Balance
                ? Text.Say("The balance is {0}; a correction cannot take it below zero.", new Money(member.Balance, scope.Current.Currency))
                : Text.Say("The member has {0} points; a correction cannot take them below zero.", member.Points)));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await db.Members.AsNoTracking().FirstAsync(m => m.Id == memberId, ct), null);
    }

    private static ProblemHttpResult NoSuchMember() => Problems.NotFound(Text.Say("There is no such member in this shop."));
}
