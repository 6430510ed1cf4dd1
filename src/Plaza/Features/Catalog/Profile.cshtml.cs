using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Console;

namespace Plaza.Features.Catalog;

/// <summary>What customers read about the shop: name, logo, kind of shop, contact, description, address and map pin.</summary>
[OwnerOnly]
public sealed partial class ProfileModel(PlazaDb db, ShopScope scope, ItemImages images, IStringLocalizer<Text> text) : PageModel
{
    /// <summary>Logos are shown small (a header, a directory row); 256 px covers a sharp 64 px on any screen.</summary>
    public const int LogoWidth = 256;

    public sealed class Input
    {
        public string Name { get; set; } = "";
        public string? Cuisine { get; set; }
        public string? Description { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Address { get; set; }
        public string? Latitude { get; set; }
        public string? Longitude { get; set; }
        public IFormFile? Logo { get; set; }
        public bool RemoveLogo { get; set; }
    }

    [BindProperty]
    public Input Form { get; set; } = new();

    public Shop Shop => scope.Current;
    public string? LogoUrl { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public void OnGet()
    {
        var s = Shop;
        LogoUrl = s.LogoUrl;
        Form = new Input
        {
            Name = s.Name,
            Cuisine = s.Cuisine,
            Description = s.Description,
            Phone = s.Phone,
            Email = s.Email,
            Address = s.Address,
            Latitude = s.Latitude.ToString(CultureInfo.InvariantCulture),
            Longitude = s.Longitude.ToString(CultureInfo.InvariantCulture),
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        LogoUrl = Shop.LogoUrl;
        var name = f.Name.Trim();
        if (name.Length is 0 or > 120)
        {
            Errors["Name"] = Text.Say("Give the shop a name of up to 120 characters.");
        }
        var cuisine = f.Cuisine?.Trim() ?? "";
        if (cuisine.Length > 64)
        {
            Errors["Cuisine"] = Text.Say("Describe the kind of shop in up to 64 characters.");
        }
        var description = f.Description?.Trim() ?? "";
        if (description.Length > 2000)
        {
            Errors["Description"] = Text.Say("A description has up to 2000 characters.");
        }
        var phone = PhoneNumber(f.Phone);
        if (phone is null)
        {
            Errors["Phone"] = Text.Say("A phone number has 6 to 20 digits, and only spaces, +, - and brackets besides.");
        }
        var email = EmailAddress(f.Email);
        if (email is null)
        {
            Errors["Email"] = Text.Say("Give an e-mail address such as hello@example.com, or leave it empty.");
        }
        var address = f.Address?.Trim() ?? "";
        if (address.Length > 300)
        {
            Errors["Address"] = Text.Say("An address has up to 300 characters.");
        }
        var latitude = Coordinate(f.Latitude, 90);
        var longitude = Coordinate(f.Longitude, 180);
        if (latitude is null || longitude is null)
        {
            Errors["Latitude"] = Text.Say("Latitude is −90…90 and longitude −180…180, in degrees such as 31.2304.");
        }
        string? newLogo = null;
        if (Errors.Count == 0 && f.Logo is { } upload)
        {
            var (saved, imageError) = await images.SaveAsync(scope.ShopId, upload, ct, LogoWidth);
            if (imageError is not null)
            {
                Errors["Logo"] = imageError;
            }
            newLogo = saved?.Url;
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var shop = await db.Shops.SingleAsync(s => s.Id == scope.ShopId, ct);
        shop.Name = name;
        shop.Cuisine = cuisine;
        shop.Description = description;
        shop.Phone = phone!;
        shop.Email = email!;
        shop.Address = address;
        shop.Latitude = latitude!.Value;
        shop.Longitude = longitude!.Value;
        shop.LogoUrl = newLogo ?? (f.RemoveLogo ? null : shop.LogoUrl);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = text["Profile saved."].Value;
        return Redirect($"/console/{shop.Slug}/profile");
    }

    /// <summary>OpenStreetMap at the pin: a plain link, so the console loads nothing from another site.</summary>
    public static string MapLink(double latitude, double longitude)
    {
        var lat = latitude.ToString("0.#####", CultureInfo.InvariantCulture);
        var lon = longitude.ToString("0.#####", CultureInfo.InvariantCulture);
        return $"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}";
    }

    /// <summary>
    /// The number as typed (full-width digits made plain, spaces collapsed), "" for none, or null when it is
    /// not one: 6–20 digits, with only spaces, a leading +, - and brackets around them.
    /// </summary>
    public static string? PhoneNumber(string? typed)
    {
        var phone = Spaces().Replace(Typed.Plain(typed), " ").Trim();
        if (phone.Length == 0)
        {
            return "";
        }
        var digits = phone.Count(char.IsAsciiDigit);
        return phone.Length <= 32 && digits is >= 6 and <= 20 && PhoneCharacters().IsMatch(phone) ? phone : null;
    }

    /// <summary>The address trimmed, "" for none, or null when it is not a plain address with a dotted domain.</summary>
    public static string? EmailAddress(string? typed)
    {
        var email = (typed ?? "").Trim();
        if (email.Length == 0)
        {
            return "";
        }
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length <= 254 && at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.')
            && !email.Any(char.IsWhiteSpace) && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email
            ? email : null;
    }

    private static double? Coordinate(string? typed, double limit) =>
        double.TryParse(Typed.Plain(typed).Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && Math.Abs(value) <= limit ? value : null;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\+?[0-9 ()\-]+$")]
    private static partial Regex PhoneCharacters();
}
