using System.Globalization;

namespace Plaza.Common;

/// <summary>
/// Percentages as owners type them and as Plaza stores them: whole basis points (7.5 % = 750), so a
/// rate is an integer like every amount of money.
/// </summary>
public static class BasisPoints
{
    /// <summary>
    /// "7", "7.5", "7,5", " 7.5 % " or, typed on a Chinese keyboard, "７．５％" as basis points between
    /// 0 and <paramref name="max"/>; null for anything else, or a finer rate than one hundredth of a percent.
    /// </summary>
    public static int? Parse(string? text, int max = 10_000)
    {
        // NFKC folds full-width digits, point, comma and percent sign to their ASCII forms.
        var plain = Typed.Plain(text).Trim();
        if (plain.EndsWith('%'))
        {
            plain = plain[..^1].TrimEnd();
        }
        plain = plain.Replace(',', '.');
        if (plain.Length is 0 or > 12
            || !decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
        {
            return null;
        }
        var points = percent * 100;
        return points == decimal.Truncate(points) && points <= max ? (int)points : null;
    }

    /// <summary>750 as "7.5", 700 as "7", 725 as "7.25": how the owner would type it back.</summary>
    public static string Format(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture);
}
