using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Features.Catalog;
using SkiaSharp;

namespace Plaza.Features.Channels;

/// <summary>
/// The share poster: a picture of the shop (and an item, with its photo and price) carrying the QR
/// code of a tracked link, to save and forward in chat apps that ignore Open Graph tags.
/// <c>GET /s/{shop}/c/{code}/poster.png[?item={id}]</c>; drawn with SkiaSharp in the customer's language.
/// SkiaSharp's self-contained Linux build reads no system font list, so the font is loaded from a file:
/// <c>Plaza:PosterFont</c>, or the first of the usual Debian CJK fonts found (<c>fonts-wqy-microhei</c>,
/// <c>fonts-noto-cjk</c>), or DejaVu Sans (no Chinese).
/// </summary>
public static class SharePoster
{
    private static readonly string[] KnownFonts =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ];

    private static readonly Lazy<SKTypeface> DefaultFont = new(() =>
        KnownFonts.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null) ?? SKTypeface.Default);

    public const int Width = 720;
    public const int Height = 1080;
    private const int Margin = 48;
    private static readonly SKColor Accent = new(0x8a, 0x4b, 0x1f);
    private static readonly SKColor Paper = new(0xff, 0xfa, 0xf3);

    public static WebApplication MapSharePoster(this WebApplication app)
    {
        app.MapGet("/s/{shop}/c/{code}/poster.png", GetAsync).WithMetadata(new ShopScopedAttribute()).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetAsync(string code, int? item, HttpContext http, ShopScope scope, ChannelDirectory channels, OrderLinks links,
        ItemImages images, TimeProvider clock, IStringLocalizer<Text> text, IConfiguration configuration, CancellationToken ct)
    {
        var shop = scope.Current;
        if (await channels.FindAsync(shop.Id, code, ct) is null)
        {
            return Results.NotFound();
        }
        var shown = item is { } id
            ? MenuQuery.Build(scope.Catalog, clock).Categories.SelectMany(c => c.Items).FirstOrDefault(i => i.Id == id)
            : null;
        var link = links.Channel(shop.Slug, code) + (shown is null ? "" : $"?item={shown.Id}");
        var photo = (shown?.ImageUrl ?? shop.LogoUrl) is { } url ? images.PathOf(shop.Id, url) : null;
        var price = shown is null ? null : Currencies.Format(new Money(shown.Price.Amount, shop.Currency));
        var font = configuration["Plaza:PosterFont"] is { Length: > 0 } file && SKTypeface.FromFile(file) is { } chosen ? chosen : DefaultFont.Value;
        var png = Draw(shop.Name, shown?.Name, price, photo, link, text["Scan to order"], font);
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.File(png, "image/png", $"{shop.Slug}-{code}.png");
    }

    /// <summary>Draws the poster: the shop's name on a band, the photo, the item and its price, the code and its call to action.</summary>
    public static byte[] Draw(string shopName, string? itemName, string? price, string? photoPath, string link, string callToAction, SKTypeface typeface)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Paper);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var light = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var accent = new SKPaint { Color = Accent, IsAntialias = true };

        canvas.DrawRect(0, 0, Width, 140, accent);
        Line(canvas, shopName, 92, 56, typeface, light);

        var y = 180f;
        if (photoPath is not null && SKBitmap.Decode(photoPath) is { } bitmap)
        {
            using (bitmap)
            {
                // Fitted into a box the poster's width, at most 420 high, centred.
                var scale = Math.Min((Width - (2f * Margin)) / bitmap.Width, 420f / bitmap.Height);
                var (w, h) = (bitmap.Width * scale, bitmap.Height * scale);
                using var image = SKImage.FromBitmap(bitmap);
                canvas.DrawImage(image, SKRect.Create((Width - w) / 2, y, w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
                y += h + 24;
            }
        }
        if (itemName is not null)
        {
            y += 44;
            Line(canvas, itemName, y, 44, typeface, ink);
            if (price is not null)
            {
                y += 56;
                Line(canvas, price, y, 44, typeface, accent);
            }
        }

        // The code at the foot, as large as the room left allows (at least 300 px: it scans off a phone screen).
        var room = Math.Max(300, Math.Min(420, Height - 130 - (y + 24)));
        using var code = SKBitmap.Decode(QrCodes.Png(link));
        using var codeImage = SKImage.FromBitmap(code);
        var top = Height - 130 - room;
        canvas.DrawImage(codeImage, SKRect.Create((Width - room) / 2, top, room, room), new SKSamplingOptions(SKFilterMode.Nearest));
        Line(canvas, callToAction, Height - 78, 36, typeface, ink);
        using var small = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        Line(canvas, link, Height - 34, 20, typeface, small);

        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>One centred line, made smaller (down to half) to fit the width, and cut with … if it still does not.</summary>
    private static void Line(SKCanvas canvas, string words, float baseline, float size, SKTypeface typeface, SKPaint paint)
    {
        using var font = new SKFont(typeface, size);
        var room = Width - (2f * Margin);
        while (font.MeasureText(words) > room && font.Size > size / 2)
        {
            font.Size -= 2;
        }
        while (font.MeasureText(words) > room && words.Length > 1)
        {
            words = words[..^2] + "…";
        }
        canvas.DrawText(words, Width / 2f, baseline, SKTextAlign.Center, font, paint);
    }
}
