using System.Globalization;
using System.Text.RegularExpressions;
using Plaza.Common;

namespace Plaza.Features.Catalog;

/// <summary>
/// What an owner types to add tables: one code ("vip"), a list ("1, 2, garden-2"), or a range
/// ("1-12", "A1-A8", "01–12"), from a Chinese keyboard too ("１－１２", "1~12", "1至12", "1，2、3").
/// </summary>
public static partial class TableCodes
{
    public const int MaxAtOnce = 200;
    public const int MaxLength = 32;

    /// <summary>A sentence saying what is wrong: an English template (the key of its translations) and its values.</summary>
    public sealed record Problem(string Template, params object[] Values);

    /// <summary>The codes, in order and without repeats, or what is wrong.</summary>
    public static (List<string> Codes, Problem? Error) Parse(string? input)
    {
        var text = RangeMark().Replace(Typed.Plain(input), "$1");
        var codes = new List<string>();
        foreach (var part in Separators().Split(text).Where(p => p.Length > 0))
        {
            if (Range().Match(part) is { Success: true } range)
            {
                var prefix = range.Groups["prefix"].Value;
                var again = range.Groups["again"].Value;
                var first = range.Groups["first"].Value;
                var last = range.Groups["last"].Value;
                if ((again.Length > 0 && again != prefix) || first.Length > 6 || last.Length > 6)
                {
                    return ([], new("'{0}' is not a range such as 1-12 or A1-A8.", part));
                }
                var (from, to) = (int.Parse(first, CultureInfo.InvariantCulture), int.Parse(last, CultureInfo.InvariantCulture));
                if (to < from || to - from >= MaxAtOnce)
                {
                    return ([], new("'{0}' should count up, {1} tables at most.", part, MaxAtOnce));
                }
                var width = first.StartsWith('0') ? first.Length : 0;
                for (var n = from; n <= to; n++)
                {
                    codes.Add(prefix + n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
                }
            }
            else
            {
                codes.Add(part);
            }
        }
        codes = [.. codes.Distinct(StringComparer.Ordinal)];
        if (codes.Count == 0)
        {
            return ([], new("Give a table code such as 5, a list such as 1, 2, 3 or a range such as 1-12."));
        }
        if (codes.Count > MaxAtOnce)
        {
            return ([], new("Add at most {0} tables at once.", MaxAtOnce));
        }
        if (codes.FirstOrDefault(c => !IsValid(c)) is { } bad)
        {
            return ([], new("'{0}' cannot be a table code: use up to {1} letters, digits, - and _.", bad, MaxLength));
        }
        return (codes, null);
    }

    /// <summary>Letters (any script), digits, '-' and '_': what a link carries without looking broken.</summary>
    public static bool IsValid(string code) => code.Length is > 0 and <= MaxLength && Code().IsMatch(code);

    /// <summary>Orders codes as people count: 2 before 10, A2 before A10.</summary>
    public static int Compare(string? a, string? b)
    {
        var (x, y) = (Number().Match(a ?? ""), Number().Match(b ?? ""));
        var byPrefix = string.CompareOrdinal(x.Groups[1].Value, y.Groups[1].Value);
        if (byPrefix != 0 || !x.Groups[2].Success || !y.Groups[2].Success)
        {
            return byPrefix != 0 ? byPrefix : string.CompareOrdinal(a, b);
        }
        var byNumber = long.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture).CompareTo(long.Parse(y.Groups[2].Value, CultureInfo.InvariantCulture));
        return byNumber != 0 ? byNumber : string.CompareOrdinal(a, b);
    }

    public static readonly IComparer<string> Natural = Comparer<string>.Create(Compare);

    [GeneratedRegex(@"\s*([\-–—~至])\s*")]
    private static partial Regex RangeMark();

    [GeneratedRegex(@"[\s,;、]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^(?<prefix>[^\d\-–—~至]*)(?<first>\d+)[\-–—~至](?<again>[^\d\-–—~至]*)(?<last>\d+)$")]
    private static partial Regex Range();

    [GeneratedRegex(@"^[\p{L}\p{N}_\-]+$")]
    private static partial Regex Code();

    [GeneratedRegex(@"^(\D*)(\d{1,18})?$")]
    private static partial Regex Number();
}
