namespace Plaza.Features.Channels;

/// <summary>
/// What a shared link shows before it is opened (Open Graph and Twitter cards), the page's canonical
/// address and its other language, and its schema.org JSON-LD: for <c>_ShareTags.cshtml</c> in a storefront page's head.
/// </summary>
/// <param name="Path">The page's canonical path, without query (a table's page points at the shop's).</param>
/// <param name="Image">A path under this node (a photo or the logo), or null.</param>
public sealed record ShareTags(string Path, string Title, string Description, string? Image, string JsonLd);

/// <summary>What the share button (<c>_ShareButton.cshtml</c>) needs: the shop, and the item when it shares one.</summary>
public sealed record ShareButton(string ShopSlug, string Title, int? ItemId = null);
