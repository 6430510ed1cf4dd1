using System.Globalization;

namespace Plaza.Common;

/// <summary>An amount in the currency's minor units (cents, fen); never a float.</summary>
public readonly record struct Money(long Amount, string Currency)
{
    public override string ToString() => Currencies.Format(this);
}

/// <summary>ISO 4217 facts Plaza needs: minor-unit digits and a display symbol.</summary>
public static class Currencies
{
    // Codes whose minor unit is not 2 digits (ISO 4217 list); everything else has 2.
    private static readonly Dictionary<string, int> MinorDigits = new(StringComparer.Ordinal)
    {
        ["JPY"] = 0,
        ["KRW"] = 0,
        ["VND"] = 0,
        ["CLP"] = 0,
        ["ISK"] = 0,
        ["UGX"] = 0,
        ["XAF"] = 0,
        ["XOF"] = 0,
        ["BHD"] = 3,
        ["KWD"] = 3,
        ["OMR"] = 3,
        ["JOD"] = 3,
        ["TND"] = 3,
        ["LYD"] = 3,
        ["IQD"] = 3,
    };

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["EUR"] = "€",
        ["USD"] = "$",
        ["GBP"] = "£",
        ["CNY"] = "¥",
        ["JPY"] = "¥",
        ["HKD"] = "HK$",
        ["TWD"] = "NT$",
        ["SGD"] = "S$",
        ["AUD"] = "A$",
        ["CAD"] = "C$",
        ["CHF"] = "CHF ",
        ["KRW"] = "₩",
    };

    // The ISO codes the platform's cultures know, read once.
    private static readonly Lazy<HashSet<string>> Known = new(() => CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => TryRegion(c)?.ISOCurrencySymbol).OfType<string>().ToHashSet(StringComparer.Ordinal));

    public static bool IsKnown(string code) => Known.Value.Contains(code);

    public static int DigitsOf(string currency) => MinorDigits.GetValueOrDefault(currency, 2);

    public static string Format(Money money)
    {
        var digits = DigitsOf(money.Currency);
        var major = money.Amount / (decimal)Pow10(digits);
        var number = major.ToString("N" + digits, CultureInfo.InvariantCulture);
        return Symbols.TryGetValue(money.Currency, out var symbol) ? symbol + number : $"{number} {money.Currency}";
    }

    private static long Pow10(int digits) => digits switch { 0 => 1, 1 => 10, 2 => 100, _ => 1000 };

    private static RegionInfo? TryRegion(CultureInfo culture)
    {
        try
        {
            return new RegionInfo(culture.Name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>The one rounding rule for money: half away from zero, on integers.</summary>
public static class MoneyRounding
{
    /// <summary>Rounds numerator/denominator to the nearest integer, halves away from zero.</summary>
    public static long Divide(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        var quotient = Math.DivRem(Math.Abs(numerator), denominator, out var remainder);
        if (remainder * 2 >= denominator)
        {
            quotient++;
        }
        return numerator < 0 ? -quotient : quotient;
    }
}
