using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace Plaza.Testing;

/// <summary>Reads a QR code out of a picture the way a phone's camera app would (ZXing), from PNG or JPEG bytes.</summary>
public static class QrDecoder
{
    /// <summary>The text of every QR code found in the picture, top to bottom, left to right.</summary>
    public static List<string> DecodeAll(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image) ?? throw new InvalidOperationException("The bytes are not a picture SkiaSharp can decode.");
        using var bgra = bitmap.ColorType == SKColorType.Bgra8888 ? bitmap.Copy() : bitmap.Copy(SKColorType.Bgra8888);
        var source = new RGBLuminanceSource(bgra.Bytes, bgra.Width, bgra.Height, RGBLuminanceSource.BitmapFormat.BGRA32);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = false,
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
        };
        return [.. (reader.DecodeMultiple(source) ?? [])
            .OrderBy(r => r.ResultPoints.Min(p => p.Y)).ThenBy(r => r.ResultPoints.Min(p => p.X))
            .Select(r => r.Text)];
    }

    /// <summary>The text of the one QR code in the picture; fails when there is none or more than one.</summary>
    public static string Decode(byte[] image) => DecodeAll(image) switch
    {
        [var only] => only,
        var found => throw new InvalidOperationException($"Expected one QR code in the picture, found {found.Count}."),
    };
}
