using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>The tests share a node per store (<see cref="SharedNodes"/>), each with shops and accounts of its own.</summary>
public sealed class ProfileTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private static MultipartFormDataContent Form(string token, string phone = "+86 (21) 5555-0100", string email = "hello@corner.example", byte[]? logo = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Corner Noodles"), "Form.Name" },
            { new StringContent("Lanzhou noodles"), "Form.Cuisine" },
            { new StringContent("Hand-pulled since 1998."), "Form.Description" },
            { new StringContent(phone), "Form.Phone" },
            { new StringContent(email), "Form.Email" },
            { new StringContent("1 Nanjing Road"), "Form.Address" },
            { new StringContent("31.2304"), "Form.Latitude" },
            { new StringContent("121.4737"), "Form.Longitude" },
        };
        if (logo is not null)
        {
            var file = new ByteArrayContent(logo);
            file.Headers.ContentType = new("image/png");
            form.Add(file, "Form.Logo", "logo.png");
        }
        return form;
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_sets_the_profile_and_customers_see_the_logo_phone_and_cuisine_on_the_menu(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/profile";

        using var form = Form(await owner.TokenAsync(page), logo: ItemImageTests.Png(1200, 1200));
        var saved = await owner.Client.PostAsync(page, form);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("Corner Noodles", "Lanzhou noodles", "+86 (21) 5555-0100", "hello@corner.example", 31.2304, 121.4737),
            (stored.Name, stored.Cuisine, stored.Phone, stored.Email, stored.Latitude, stored.Longitude));
        Assert.StartsWith($"/media/{shop.Shop.Id}/", stored.LogoUrl, StringComparison.Ordinal);
        var logo = SkiaSharp.SKBitmap.Decode(await app.CreateClient().GetByteArrayAsync(stored.LogoUrl));
        Assert.Equal(256, logo.Width);
        var menu = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync($"/s/{shop.Slug}"));
        Assert.Contains($"<img src=\"{stored.LogoUrl}\"", menu, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:+862155550100\"", menu, StringComparison.Ordinal);
        Assert.Contains("Lanzhou noodles", menu, StringComparison.Ordinal);
        var console = WebUtility.HtmlDecode(await owner.Client.GetStringAsync(page));
        Assert.Contains("href=\"https://www.openstreetmap.org/?mlat=31.2304&mlon=121.4737#map=17/31.2304/121.4737\"", console, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_bad_phone_or_e_mail_is_refused_with_the_field_marked_and_nothing_changes(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        var page = $"/console/{shop.Slug}/profile";

        foreach (var (phone, email, message) in new[]
        {
            ("12345", "", "A phone number has 6 to 20 digits"),
            ("call me maybe", "", "A phone number has 6 to 20 digits"),
            ("+1 234 567 890 123 456 789 01", "", "A phone number has 6 to 20 digits"),
            ("030 123456", "not an address", "Give an e-mail address"),
            ("030 123456", "mei@localhost", "Give an e-mail address"),
            ("030 123456", "a b@example.com", "Give an e-mail address"),
        })
        {
            using var form = Form(await owner.TokenAsync(page), phone, email, ItemImageTests.Png(300, 300));
            var refused = await owner.Client.PostAsync(page, form);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var stored = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("Test café", "", "", null), (stored.Name, stored.Phone, stored.Email, stored.LogoUrl));
    }

    [Fact]
    public void Phone_numbers_typed_on_a_chinese_keyboard_are_kept_as_plain_digits()
    {
        Assert.Equal("+86 138 0013 8000", Plaza.Features.Catalog.ProfileModel.PhoneNumber("＋８６ １３８ ００１３ ８０００"));
        Assert.Equal("", Plaza.Features.Catalog.ProfileModel.PhoneNumber("  "));
        Assert.Null(Plaza.Features.Catalog.ProfileModel.PhoneNumber("+49 30 12#34"));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Staff_cannot_open_or_post_the_profile_taxes_or_closed_days(Store store)
    {
        var app = await nodes.GetAsync(store);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var token = await staff.TokenAsync($"/console/{shop.Slug}/board");

        foreach (var page in new[] { "profile", "taxes", "closed" })
        {
            var url = $"/console/{shop.Slug}/{page}";
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(url)).StatusCode);
            var posted = await staff.PostFormAsync(url, new() { ["Form.Name"] = "Taken over", ["Form.Phone"] = "123456789", ["Date"] = "2099-01-01" }, token);
            Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        }
        var stored = await app.WithDb(null, db => db.Shops.Include(s => s.ClosedDates).SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("Test café", "", 0), (stored.Name, stored.Phone, stored.ClosedDates.Count));
    }
}
