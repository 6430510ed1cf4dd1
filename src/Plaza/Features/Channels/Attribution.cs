using System.Globalization;

namespace Plaza.Features.Channels;

/// <summary>
/// Which channels brought this browser to a shop: the first, the last, and the customer's own share
/// link. Kept in one cookie per shop that only a tracked link (<c>/s/{shop}/c/{code}</c>) and the share
/// button set, so the menu page itself never sets a cookie and stays cached; read when an order is placed.
/// Forging it gains nothing a visit of the same link would not: it holds channel ids, checked against the shop.
/// </summary>
public readonly record struct Attribution(int? First, int? Last, int? Mine)
{
    /// <summary>How long a first touch is remembered after the last visit through a channel.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static string CookieName(int shopId) => "plaza_ch_" + shopId.ToString(CultureInfo.InvariantCulture);

    public static Attribution Read(HttpRequest request, int shopId)
    {
        var parts = (request.Cookies[CookieName(shopId)] ?? "").Split('.');
        return new Attribution(Id(parts, 0), Id(parts, 1), Id(parts, 2));
    }

    /// <summary>A visit through a channel: it becomes the last touch, and the first when there was none.</summary>
    public Attribution Touch(int channelId) => this with { First = First ?? channelId, Last = channelId };

    public void Write(HttpResponse response, int shopId) =>
        response.Cookies.Append(CookieName(shopId), $"{First}.{Last}.{Mine}", new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            MaxAge = Lifetime,
            IsEssential = true,
        });

    private static int? Id(string[] parts, int index) =>
        parts.Length > index && int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
}
