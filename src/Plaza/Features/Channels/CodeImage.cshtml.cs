using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Features.Console;

namespace Plaza.Features.Channels;

/// <summary>
/// A code as a file: <c>/console/{shop}/codes/store/{shop}</c>, <c>/console/{shop}/codes/table/{code}</c> or
/// <c>/console/{shop}/codes/channel/{code}</c> (a named channel),
/// SVG by default, PNG with <c>?format=png</c>, as a download with <c>?download=true</c>.
/// </summary>
[OwnerOnly]
public sealed class CodeImageModel(ShopScope scope, OrderLinks links, ChannelDirectory channels) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string kind, string name, string? format, bool download, CancellationToken ct)
    {
        var shop = scope.Catalog.Shop;
        var url = kind switch
        {
            "store" when name == shop.Slug => links.Store(shop.Slug),
            "table" when scope.Catalog.Tables.ContainsKey(name) => links.Table(shop.Slug, name),
            "channel" when await channels.FindAsync(shop.Id, name, ct) is { Kind: ChannelKind.Named } => links.Channel(shop.Slug, name),
            _ => null,
        };
        if (url is null)
        {
            return NotFound();
        }
        var file = $"{shop.Slug}-{kind}-{name}";
        if (download)
        {
            // filename* (RFC 6266) as well, so a table coded 包间1 downloads under its own name.
            var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName($"{file}.{(format == "png" ? "png" : "svg")}");
            Response.Headers.ContentDisposition = disposition.ToString();
        }
        return format == "png"
            ? File(QrCodes.Png(url), "image/png")
            : Content(QrCodes.Svg(url), "image/svg+xml", Encoding.UTF8);
    }
}
