using PhoneNumbers;
using Plaza.Common;
using Plaza.Features.Catalog;

namespace Plaza.Features.Members;

/// <summary>
/// A member's phone number as they type it ("138 0013 8000", full-width digits from a Chinese keyboard, "+49 30 …"),
/// kept in E.164 (<c>+8613800138000</c>) so one number is stored one way, whatever the spaces and prefixes.
/// Google's libphonenumber knows each country's numbering plan, which a pattern of our own would not.
/// </summary>
public static class MemberPhones
{
    /// <summary>The region a number without a country code is read in when the shop's own phone names none.</summary>
    public const string FallbackRegion = "CN";

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The country a number typed without a country code belongs to: the shop's, which its own phone number tells when
    /// given with one ("+49 30 …" is Germany); otherwise <see cref="FallbackRegion"/>. A shop has no country field.
    /// </summary>
    public static string RegionOf(Shop shop)
    {
        var own = Typed.Plain(shop.Phone).Trim();
        if (own.StartsWith('+'))
        {
            try
            {
                if (Numbers.GetRegionCodeForNumber(Numbers.Parse(own, null)) is { Length: 2 } region)
                {
                    return region;
                }
            }
            catch (NumberParseException)
            {
            }
        }
        return FallbackRegion;
    }

    /// <summary>The number in E.164, or null when it is no valid number (in <paramref name="region"/> unless it starts with + or 00).</summary>
    public static string? Normalise(string? typed, string region)
    {
        var plain = Typed.Plain(typed).Trim();
        if (plain.Length is 0 or > 40)
        {
            return null;
        }
        try
        {
            var number = Numbers.Parse(plain, region);
            return Numbers.IsValidNumber(number) ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
