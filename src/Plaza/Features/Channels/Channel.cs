using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Channels;

/// <summary>Where a channel's visitors come from.</summary>
public enum ChannelKind
{
    /// <summary>One the owner made and named: a poster, a flyer, a group chat.</summary>
    Named,
    /// <summary>The store code at the door.</summary>
    Store,
    /// <summary>One table's code (the table page itself, or its tracked link).</summary>
    Table,
    /// <summary>This node's <c>/nearby</c> list.</summary>
    Nearby,
    /// <summary>A hub page on this node that lists the shop.</summary>
    Hub,
    /// <summary>A customer's personal link, made with the share button.</summary>
    Share,
    /// <summary>A promotion's post, followed from a fediverse timeline.</summary>
    Promotion,
}

/// <summary>
/// A way customers reach a shop, with the code its tracked link <c>/s/{shop}/c/{code}</c> carries.
/// Rows are never deleted (old orders name them); a retired named channel still counts its visits.
/// A share link hangs under the channel its sharer came from, so a share tree keeps its root channel
/// and each link its depth (1 for a link shared by someone who came from a channel, 2 for one shared
/// by someone who came from that link, and so on).
/// </summary>
public sealed class Channel : IShopOwned
{
    public int Id { get; set; }
    public int ShopId { get; set; }
    public ChannelKind Kind { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>The channel the sharer came from (share links only); null for a sharer who came directly.</summary>
    public int? ParentId { get; set; }
    /// <summary>The channel at the top of a share tree (share links only); null when its first sharer came directly.</summary>
    public int? RootId { get; set; }
    public int Depth { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool Retired { get; set; }
}

/// <summary>Visits of one channel on one of the shop's local days, added to in batches.</summary>
public sealed class ChannelVisit : IShopOwned
{
    public int ShopId { get; set; }
    public int ChannelId { get; set; }
    /// <summary>The shop's local date as yyyymmdd, like <see cref="Ordering.Order.BusinessDay"/>.</summary>
    public int Day { get; set; }
    public long Count { get; set; }
}

/// <summary>Channel codes: the owner's own, and the ones Plaza keeps for its automatic channels.</summary>
public static partial class ChannelCodes
{
    public const int MaxLength = 48;
    public const string Store = "store";
    public const string Nearby = "nearby";
    public const string Hub = "hub";
    private const string TablePrefix = "table-";
    private const string SharePrefix = "s-";
    private const string PromotionPrefix = "promo-";

    private static readonly string[] Reserved = [Store, Nearby, Hub, "boost", "c", "t", "items"];
    private static readonly string[] ReservedPrefixes = [TablePrefix, SharePrefix, PromotionPrefix];

    public static string Table(string tableCode) => TablePrefix + tableCode;

    public static string Promotion(long promotionId) => PromotionPrefix + promotionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new share code: "s-" and eight characters that read unambiguously (no 0/o, 1/l).</summary>
    public static string NewShare() => SharePrefix + RandomNumberGenerator.GetString("23456789abcdefghijkmnpqrstuvwxyz", 8);

    /// <summary>The kind of automatic channel a code names (a table's only while the table is in service); null for a code that names none.</summary>
    public static ChannelKind? Automatic(string code, ShopCatalog catalog) => code switch
    {
        Store => ChannelKind.Store,
        Nearby => ChannelKind.Nearby,
        Hub => ChannelKind.Hub,
        _ when code.StartsWith(TablePrefix, StringComparison.Ordinal) && catalog.Tables.ContainsKey(TableOf(code)) => ChannelKind.Table,
        _ when PromotionOf(code) is not null => ChannelKind.Promotion,
        _ => null,
    };

    /// <summary>The table a table channel's code leads to.</summary>
    public static string TableOf(string code) => code.StartsWith(TablePrefix, StringComparison.Ordinal) ? code[TablePrefix.Length..] : "";

    /// <summary>The promotion a promotion channel's code names.</summary>
    public static long? PromotionOf(string code) =>
        code.StartsWith(PromotionPrefix, StringComparison.Ordinal)
        && long.TryParse(code[PromotionPrefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    /// <summary>Why an owner's code cannot be used, or null when it can: lower-case letters, digits and hyphens, not one Plaza keeps.</summary>
    public static string? Problem(string code) =>
        !OwnerCode().IsMatch(code) ? Text.Say("Use 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit.")
        : Reserved.Contains(code) || ReservedPrefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal)) ? Text.Say("Plaza keeps this code for its own channels; choose another.")
        : null;

    /// <summary>A code made from a name: its ASCII letters and digits joined by hyphens; empty when the name has none (a Chinese name).</summary>
    public static string FromName(string name)
    {
        var words = NonCode().Split(name.ToLowerInvariant()).Where(w => w.Length > 0);
        var code = string.Join('-', words);
        return code.Length > 40 ? code[..40].TrimEnd('-') : code;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex OwnerCode();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonCode();
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>, IEntityTypeConfiguration<ChannelVisit>
{
    public void Configure(EntityTypeBuilder<Channel> channel)
    {
        channel.Property(c => c.Code).HasMaxLength(ChannelCodes.MaxLength);
        channel.Property(c => c.Name).HasMaxLength(80);
        channel.HasIndex(c => new { c.ShopId, c.Code }).IsUnique();
        channel.HasIndex(c => new { c.ShopId, c.Kind });
        channel.HasOne<Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.NoAction);
    }

    public void Configure(EntityTypeBuilder<ChannelVisit> visit) => visit.HasKey(v => new { v.ShopId, v.ChannelId, v.Day });
}
