using QRCoder;

namespace Plaza.Features.Channels;

/// <summary>
/// QR codes for printed and shared links (QRCoder). Error correction Q: a quarter of the code may be
/// smudged, torn or covered by a fold of a table tent and it still scans.
/// </summary>
public static class QrCodes
{
    private const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.Q;

    /// <summary>A scalable SVG (a view box, no fixed size) with the four-module quiet zone scanners need.</summary>
    public static string Svg(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, Correction);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>A PNG with <paramref name="pixelsPerModule"/> pixels to a module (10 prints sharp at 3 cm).</summary>
    public static byte[] Png(string url, int pixelsPerModule = 10)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, Correction);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }
}
