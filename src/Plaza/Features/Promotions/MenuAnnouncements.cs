using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;

namespace Plaza.Features.Promotions;

/// <summary>
/// Announces menu changes to followers when the owner chose to (<see cref="AnnouncementPolicy"/>):
/// new available items and new prices of available items. One save of the menu — an item form, a
/// whole CSV import — becomes at most one post listing everything it added or repriced, so an
/// import of 30 items is one post, not 30.
/// </summary>
public sealed class MenuAnnouncements(PlazaDb db, ShopScope scope, Publishing publishing, FederationSignal signal, IStringLocalizer<Text> text)
{
    /// <summary>Items listed by name in one post; the rest are counted.</summary>
    public const int MaxListed = 15; // 2 lists × 15 lines of at most ~150 characters stay under a post's 5000

    /// <summary>
    /// Runs a menu change and the post announcing it in one transaction, so followers hear of a change
    /// only if it was saved, and a saved change is announced even if the node stops right after.
    /// <paramref name="change"/> saves its work and says what it added or repriced.
    /// </summary>
    public async Task ApplyAsync(Func<Task<IReadOnlyCollection<MenuChange>>> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changes = await change();
        var queued = await AnnounceAsync(changes, ct);
        await transaction.CommitAsync(ct);
        if (queued)
        {
            signal.DeliveriesQueued();
        }
    }

    private async Task<bool> AnnounceAsync(IReadOnlyCollection<MenuChange> changes, CancellationToken ct)
    {
        var policy = await db.AnnouncementPolicies.AsNoTracking().FirstOrDefaultAsync(ct);
        var added = policy is { NewItems: true } ? changes.Where(c => c.IsNew && c.Item.IsAvailable).ToList() : [];
        var repriced = policy is { PriceChanges: true } ? changes.Where(c => c.IsRepriced && c.Item.IsAvailable).ToList() : [];
        if (added.Count + repriced.Count == 0)
        {
            return false;
        }
        var shop = scope.Current;
        var single = added.Count + repriced.Count == 1 ? added.Concat(repriced).Single().Item : null;
        var image = single?.ImageUrl is { } url ? publishing.StoredImage(url) : null;
        var promotion = new Promotion
        {
            ShopId = shop.Id,
            Text = Compose(shop, added, repriced),
            ItemId = single?.Id,
            Link = single is null ? null : publishing.ItemLink(single.Id),
            ImageUrl = image?.Url,
            ImageAlt = image is null ? null : single!.Name,
            ImageWidth = image?.Width,
            ImageHeight = image?.Height,
        };
        await publishing.PublishAsync(promotion, ct);
        return true;
    }

    // Followers read the shop's own language, whatever language the owner's console is in.
    private string Compose(Shop shop, List<MenuChange> added, List<MenuChange> repriced)
    {
        var console = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(shop.DefaultLanguage);
        try
        {
            string Price(long amount) => Currencies.Format(new Money(amount, shop.Currency));
            if (added.Count + repriced.Count == 1)
            {
                return added.Count == 1
                    ? text["New: {0} — {1}", added[0].Item.Name, Price(added[0].Item.Price)]
                    : text["New price for {0}: {1} → {2}", repriced[0].Item.Name, Price(repriced[0].OldPrice!.Value), Price(repriced[0].Item.Price)];
            }
            var paragraphs = new List<string>();
            if (added.Count > 0)
            {
                paragraphs.Add(List(text["New on the menu:"], added.Select(c => $"{c.Item.Name} — {Price(c.Item.Price)}")));
            }
            if (repriced.Count > 0)
            {
                paragraphs.Add(List(text["New prices:"], repriced.Select(c => $"{c.Item.Name}: {Price(c.OldPrice!.Value)} → {Price(c.Item.Price)}")));
            }
            var composed = string.Join("\n\n", paragraphs);
            return composed.Length <= Publishing.MaxTextLength ? composed : composed[..(Publishing.MaxTextLength - 1)] + "…";
        }
        finally
        {
            CultureInfo.CurrentUICulture = console;
        }
    }

    private string List(string heading, IEnumerable<string> lines)
    {
        var all = lines.ToList();
        var shown = all.Take(MaxListed).ToList();
        if (all.Count > MaxListed)
        {
            shown.Add(text["…and {0} more.", all.Count - MaxListed]);
        }
        return heading + "\n" + string.Join("\n", shown);
    }
}
