using Plaza.Common;

namespace Plaza.Features.Channels;

/// <summary>
/// What a shared link shows before it is opened (Open Graph and Twitter cards), the page's canonical
/// address and its other language, and its schema.org JSON-LD: for <c>_ShareTags.cshtml</c> in a storefront page's head.
/// </summary>
/// <param name="Path">The page's canonical path, without query (a table's page points at the shop's).</param>
/// <param name="Image">A path under this node (a photo or the logo), or null.</param>
/// <param name="Price">The item's price when the page offers one (Open Graph's <c>product:price</c>, a card's label).</param>
public sealed record ShareTags(string Path, string Title, string Description, string? Image, string JsonLd, Money? Price = null);

/// <summary>What the share button (<c>_ShareButton.cshtml</c>) needs: the shop, and the item when it shares one.</summary>
public sealed record ShareButton(string ShopSlug, string Title, int? ItemId = null);

/// <summary>
/// The bar above a printable page (<c>_PrintBar.cshtml</c>): where "back" leads, the paper it wants, and the
/// page's own query (ending in <c>&amp;</c>) kept when the owner switches its language.
/// </summary>
public sealed record PrintBar(string ShopSlug, string Back, string BackText, string Paper, string Query = "");
