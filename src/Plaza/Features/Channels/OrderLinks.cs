using Plaza.Common;

namespace Plaza.Features.Channels;

/// <summary>
/// The links printed codes carry, always built from <c>Plaza:PublicUrl</c>, never from the request:
/// a code printed while the owner reached the console at <c>localhost</c> would lead nowhere.
/// <c>/s/{shop}/t/{table}</c> is part of the stable contract (docs/architecture.md): printed table codes
/// outlive releases.
/// </summary>
public sealed class OrderLinks(PublicOrigin origin)
{
    /// <summary>False while the node runs on the default origin, so a printed code would not reach it.</summary>
    public bool CanPrint => origin.IsConfigured;

    /// <summary>The store code's link: the storefront through the automatic "store" channel, so its scans are counted.</summary>
    public string Store(string shopSlug) => Channel(shopSlug, ChannelCodes.Store);

    /// <summary>A tracked link, <c>/s/{shop}/c/{code}</c>: counts the visit, remembers the channel, leads on to the shop.</summary>
    public string Channel(string shopSlug, string code) => origin.Link($"/s/{Uri.EscapeDataString(shopSlug)}/c/{Uri.EscapeDataString(code)}");

    public string Table(string shopSlug, string tableCode) => origin.Link($"/s/{Uri.EscapeDataString(shopSlug)}/t/{Uri.EscapeDataString(tableCode)}");
}
