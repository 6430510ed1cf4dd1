using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using SkiaSharp;

namespace Plaza.Features.Catalog;

/// <summary>
/// Menu photos: an upload is decoded (JPEG, PNG or WebP only), scaled to at most
/// <see cref="MaxWidth"/> pixels wide and re-encoded, so what is served is always an image we
/// wrote, never the uploaded bytes. Files are named by content hash and cached for a year.
/// Promotions' photos go through the same pipeline, a little wider.
/// A few compressed bytes can claim an enormous picture, so the size is read from the header and
/// refused above <see cref="MaxPixels"/> before anything is decoded, and a photo is decoded close to
/// the size it is stored at when its format allows (see <see cref="Decode"/>).
/// </summary>
public sealed partial class ItemImages(IConfiguration configuration)
{
    public const int MaxUploadBytes = 5 * 1024 * 1024;
    public const int MaxWidth = 800;
    /// <summary>40 megapixels: a phone's or a good camera's photo; 160 MB as RGBA had it been decoded whole.</summary>
    public const long MaxPixels = 40_000_000;
    /// <summary>16 megapixels, 64 MB: the most decoded whole, for a format the codec cannot decode scaled (PNG).</summary>
    public const long MaxWholePixels = 16_000_000;
    /// <summary>A side this long is a panorama at most.</summary>
    public const int MaxSide = 12_000;
    public const string RequestPath = "/media";

    public string Root { get; } = Path.Combine(Data.DataSetup.DataDirectory(configuration), "media");

    public sealed record Saved(string Url, int Width, int Height);

    /// <summary>Returns the stored image, or an error a person can act on.</summary>
    public async Task<(Saved? Image, string? Error)> SaveAsync(int shopId, IFormFile upload, CancellationToken ct, int maxWidth = MaxWidth)
    {
        if (upload.Length is 0 or > MaxUploadBytes)
        {
            return (null, Text.Say("Choose a photo of up to {0} MB.", MaxUploadBytes / 1024 / 1024));
        }
        using var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        using var codec = SKCodec.Create(buffer);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp)
            || codec.Info.Width < 1 || codec.Info.Height < 1)
        {
            return (null, Text.Say("That file is not a JPEG, PNG or WebP photo."));
        }
        var width = Math.Min(maxWidth, codec.Info.Width);
        var pixels = (long)codec.Info.Width * codec.Info.Height;
        var scalable = codec.GetScaledDimensions(width / (float)codec.Info.Width).Width < codec.Info.Width;
        if (pixels > MaxPixels || codec.Info.Width > MaxSide || codec.Info.Height > MaxSide || (pixels > MaxWholePixels && !scalable))
        {
            return (null, Text.Say(TooLarge));
        }
        var height = Math.Max(1, (int)Math.Round(codec.Info.Height * (width / (double)codec.Info.Width)));
        using var decoded = Decode(codec, width);
        if (decoded is null)
        {
            return (null, Text.Say("That photo could not be read."));
        }
        using var scaled = decoded.Width == width && decoded.Height == height ? null
            : decoded.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var image = SKImage.FromBitmap(scaled ?? decoded);
        using var encoded = image.Encode(SKEncodedImageFormat.Webp, 80);
        var bytes = encoded.ToArray();
        var name = Convert.ToHexStringLower(SHA256.HashData(bytes))[..20] + ".webp";
        var folder = Path.Combine(Root, shopId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes, ct);
        return (new Saved($"{RequestPath}/{shopId}/{name}", width, height), null);
    }

    public static readonly string TooLarge = Text.Key("That photo is too large (at most 40 megapixels, 16 for a PNG, and 12,000 pixels a side); choose a smaller one.");

    /// <summary>
    /// The photo at no less than <paramref name="width"/> pixels wide but as little more as the codec
    /// allows: JPEG decodes at 1/8 steps and WebP at any scale by itself. PNG cannot be decoded scaled
    /// (nor row by row, in this Skia), so it is decoded whole, which <see cref="MaxWholePixels"/> bounds.
    /// Null when the data is broken or cut short.
    /// </summary>
    internal static SKBitmap? Decode(SKCodec codec, int width)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        var size = codec.GetScaledDimensions(Math.Min(1f, (width + 0.5f) / full.Width));
        if (size.Width < width)
        {
            // Rounded below the width wanted: one step larger rather than the whole photo.
            size = codec.GetScaledDimensions(Math.Min(1f, 2f * width / full.Width));
        }
        if (size.Width < width || size.Width >= full.Width)
        {
            size = full;
        }
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul));
        if (codec.GetPixels(bitmap.Info, bitmap.GetPixels()) == SKCodecResult.Success)
        {
            return bitmap;
        }
        bitmap.Dispose();
        return null;
    }

    /// <summary>
    /// A photo this node already stored for the shop, named by the URL <see cref="SaveAsync"/> returned
    /// (path or absolute under <paramref name="origin"/>); null for anything else, so a caller can
    /// never point at another shop's file, a path outside the media folder, or a file that is not there.
    /// </summary>
    public Saved? Find(int shopId, string url, string origin)
    {
        if (url.StartsWith(origin + "/", StringComparison.OrdinalIgnoreCase))
        {
            url = url[origin.Length..];
        }
        using var codec = PathOf(shopId, url) is { } path ? SKCodec.Create(path) : null;
        return codec is null ? null : new Saved(url, codec.Info.Width, codec.Info.Height);
    }

    /// <summary>The file of a photo stored for the shop at <paramref name="url"/> (a <c>/media/…</c> path); null for anything else.</summary>
    public string? PathOf(int shopId, string url)
    {
        var match = StoredName().Match(url);
        if (!match.Success || match.Groups[1].Value != shopId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }
        var path = Path.Combine(Root, match.Groups[1].Value, match.Groups[2].Value);
        return File.Exists(path) ? path : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^/media/([0-9]+)/([0-9a-f]{20}\\.webp)$")]
    private static partial System.Text.RegularExpressions.Regex StoredName();

    /// <summary>Serves stored photos; names are content hashes, so they never change and may be cached for a year.</summary>
    public static void UseItemImages(WebApplication app)
    {
        var images = app.Services.GetRequiredService<ItemImages>();
        Directory.CreateDirectory(images.Root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(images.Root),
            RequestPath = RequestPath,
            OnPrepareResponse = s => s.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable",
        });
    }
}
