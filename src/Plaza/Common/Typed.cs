using System.Globalization;
using System.Text;

namespace Plaza.Common;

/// <summary>What people type, made plain before it is parsed.</summary>
public static class Typed
{
    /// <summary>
    /// NFKC: a Chinese keyboard's full-width digits and punctuation (１２：３０，（）｜％) become their ASCII forms, so every
    /// format Plaza parses takes them as meant. Text that is not valid Unicode (a lone surrogate sent in JSON) comes back
    /// as it is, for the parser to refuse.
    /// </summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrEmpty(text) || Ascii.IsValid(text))
        {
            return text ?? "";
        }
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    /// <summary>A whole number of plain digits (full-width ones too: ６０ is 60), no sign or separators; null otherwise.</summary>
    public static int? Whole(string? text) =>
        int.TryParse(Plain(text).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
