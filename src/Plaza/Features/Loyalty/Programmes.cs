using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;

namespace Plaza.Features.Loyalty;

/// <summary>
/// Linked shops: an owner with several shops (a main business and a sideline) runs one loyalty programme in them, so a
/// member's points and balance count in each. The programme's rows (<see cref="IProgrammeOwned"/>) carry the id of the shop
/// the others are linked into, and the shop filter reads that id for them (<see cref="Shop.ProgrammeId"/>).
/// Only an account that owns both shops may link them, so shops of different owners never share members; the API's
/// tokens belong to one shop each and cannot prove that, so linking is done on the owner's console page only.
/// </summary>
public sealed class Programmes(PlazaDb db, ShopScope scope, ConsoleMember owner)
{
    /// <summary>The shops of the scoped shop's programme, the one they are linked into first; a shop of its own is alone in it.</summary>
    public Task<List<Shop>> ShopsAsync(CancellationToken ct) => ShopsOfAsync(db, scope.Current, ct);

    /// <summary>The shops of <paramref name="shop"/>'s programme, the one they are linked into first.</summary>
    public static async Task<List<Shop>> ShopsOfAsync(PlazaDb db, Shop shop, CancellationToken ct)
    {
        var programme = shop.ProgrammeId;
        return [.. (await db.Shops.AsNoTracking().Where(s => s.Id == programme || s.ProgrammeShopId == programme).ToListAsync(ct))
            .OrderBy(s => s.Id == programme ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>The programme's name in consent words and on pages: its shops' names (just the shop's own when it is alone).</summary>
    public static string NameOf(IEnumerable<Shop> shops) =>
        string.Join(System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "、" : ", ", shops.Select(s => s.Name));

    /// <summary>
    /// Other shops the signed-in owner owns that could join the scoped shop's programme: same currency (balances and the
    /// rules' amounts are in it), running a programme of their own with no shop linked into it.
    /// </summary>
    public async Task<List<Shop>> CandidatesAsync(CancellationToken ct)
    {
        var current = scope.Current;
        if (current.ProgrammeShopId is not null)
        {
            return [];
        }
        var owned = OwnedShopIds();
        var homes = db.Shops.Where(s => s.ProgrammeShopId != null).Select(s => s.ProgrammeShopId!.Value);
        return await db.Shops.AsNoTracking()
            .Where(s => owned.Contains(s.Id) && s.Id != current.Id && s.ProgrammeShopId == null && s.Currency == current.Currency && !homes.Contains(s.Id))
            .OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>
    /// Links <paramref name="slug"/> (a shop the owner owns) into the scoped shop's programme. Its members, with their codes,
    /// passkeys and ledger, move into the programme; its own rules and tiers give way to the programme's. Refused (with the
    /// reason) when the owner does not own it, it is not a candidate, or one of its members' e-mail addresses is already a
    /// member here (two memberships of one person are not merged).
    /// </summary>
    public async Task<string?> LinkAsync(string slug, CancellationToken ct)
    {
        var current = scope.Current;
        var joining = (await CandidatesAsync(ct)).FirstOrDefault(s => s.Slug == slug);
        if (joining is null)
        {
            return Text.Say("Only another shop of yours, in the same currency, that has no shops linked into it can join this programme.");
        }
        var programme = current.ProgrammeId;
        var members = db.Members.IgnoreQueryFilters([PlazaDb.ShopFilter]);
        var joiningEmails = members.Where(m => m.ShopId == joining.Id && m.Email != null).Select(m => m.Email);
        var shared = await members.CountAsync(m => m.ShopId == programme && joiningEmails.Contains(m.Email), ct);
        if (shared > 0)
        {
            return Text.Say("{0} of {1}'s members are members here too, by the same e-mail address; two memberships of one person cannot be merged yet.", shared, joining.Name);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Conditional on the shop still running its own programme, so two owners' tabs cannot link it twice.
        if (await db.Shops.Where(s => s.Id == joining.Id && s.ProgrammeShopId == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.ProgrammeShopId, programme), ct) == 0)
        {
            return Text.Say("The shop changed meanwhile; reload the page and try again.");
        }
        await db.Members.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ShopId, programme), ct);
        await db.MemberCodes.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ShopId, programme), ct);
        await db.MemberPasskeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ShopId, programme), ct);
        await db.PasskeyCeremonies.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteDeleteAsync(ct);
        await db.Ledger.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ShopId, programme), ct);
        await db.TierGifts.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ShopId, programme), ct);
        await db.LoyaltyRules.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteDeleteAsync(ct);
        await db.Tiers.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(r => r.ShopId == joining.Id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// Takes <paramref name="slug"/> out of the scoped shop's programme (or, from a linked shop, takes that shop out): it starts
    /// a programme of its own with no members; the members, their points and balances stay with the programme.
    /// </summary>
    public async Task<string?> UnlinkAsync(string slug, CancellationToken ct)
    {
        var programme = scope.Current.ProgrammeId;
        var owned = OwnedShopIds();
        var leaving = await db.Shops.Where(s => s.Slug == slug && s.ProgrammeShopId == programme && owned.Contains(s.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProgrammeShopId, (int?)null), ct);
        return leaving == 0 ? Text.Say("That shop is not linked into this programme.") : null;
    }

    /// <summary>The shops the signed-in account owns (every shop's memberships, not only the scoped one's).</summary>
    private IQueryable<int> OwnedShopIds()
    {
        var account = owner.AccountId;
        return db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter]).Where(m => m.AccountId == account && m.Role == ShopRole.Owner).Select(m => m.ShopId);
    }
}
