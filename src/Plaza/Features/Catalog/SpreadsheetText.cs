using System.Text;

namespace Plaza.Features.Catalog;

/// <summary>
/// The text of a file a spreadsheet program saved, in whichever encoding it chose: UTF-8 with or without a byte-order
/// mark, UTF-16 (Excel's "Unicode text", with or without one), or — what Excel on Chinese Windows writes for "CSV" —
/// GBK, read as GB18030, its superset.
/// </summary>
public static class SpreadsheetText
{
    public const string Utf8 = "utf-8";
    public const string Utf16 = "utf-16";
    public const string Gb18030 = "gb18030";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Chinese = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    public static (string Text, string Encoding) Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> b = bytes;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Encoding.UTF8.GetString(b[3..]), Utf8);
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode.GetString(b[2..]), Utf16);
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode.GetString(b[2..]), Utf16);
        }
        if (Utf16Without(b) is { } utf16)
        {
            return (utf16.GetString(b), Utf16);
        }
        try
        {
            return (StrictUtf8.GetString(b), Utf8);
        }
        catch (DecoderFallbackException)
        {
            return (Chinese.GetString(b), Gb18030);
        }
    }

    // Without a mark, UTF-16 text of mostly ASCII (the header, digits, commas) has a zero in every other byte.
    private static Encoding? Utf16Without(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b.Length % 2 != 0)
        {
            return null;
        }
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < b.Length; i += 2)
        {
            evenZeros += b[i] == 0 ? 1 : 0;
            oddZeros += b[i + 1] == 0 ? 1 : 0;
        }
        var half = b.Length / 2;
        return oddZeros > half * 0.3 && evenZeros == 0 ? Encoding.Unicode
            : evenZeros > half * 0.3 && oddZeros == 0 ? Encoding.BigEndianUnicode
            : null;
    }
}
