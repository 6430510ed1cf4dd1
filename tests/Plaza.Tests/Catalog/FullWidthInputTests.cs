using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>
/// An owner in Shanghai types on a Chinese keyboard: full-width digits, colon, comma, brackets, bar and percent sign.
/// Every format the console parses takes them as meant, through the console's own forms; and what is still wrong
/// is said in Chinese.
/// </summary>
public sealed class FullWidthInputTests
{
    [Fact]
    public async Task Every_format_the_console_parses_takes_a_chinese_keyboards_full_width_input()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app, s => (s.Currency, s.TimeZone, s.DefaultLanguage) = ("CNY", "Asia/Shanghai", "zh-Hans"));
        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        owner.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var console = $"/console/{shop.Slug}";

        // Opening hours: full-width colon, tilde and comma, and 、 between ranges.
        await SendAsync(owner, $"{console}/settings", "form.card", new()
        {
            [$"Form.Hours[{Array.IndexOf(SettingsModel.Week, DayOfWeek.Monday)}]"] = "10：00-14：30，16：30-21：00",
            [$"Form.Hours[{Array.IndexOf(SettingsModel.Week, DayOfWeek.Tuesday)}]"] = "１０：００～１４：３０、１６：３０至２１：００",
            ["Form.DeliveryFee"] = "３．５０",
            ["Form.LeadTimeMinutes"] = "２０",
            ["Form.DeliveryRadiusKm"] = "２．５",
        });
        var hours = await app.WithDb(null, db => db.Shops.Include(s => s.OpeningHours).SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal((350, 20, 2500), (hours.DeliveryFee, hours.LeadTimeMinutes, hours.DeliveryRadiusMeters));
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday })
        {
            Assert.Equal([(600, 870), (990, 1260)], hours.OpeningHours.Where(h => h.Day == day).OrderBy(h => h.Opens).Select(h => (h.Opens, h.Closes)));
        }

        // A price and options on the item editor.
        await SendAsync(owner, $"{console}/menu/items/{shop.Cake.Id}", "form.card", new()
        {
            ["Form.Price"] = "１８．５０",
            ["Form.Options"] = "面型（1-1）：细 +0 ｜ 宽 +２\n加料（０-２）：加蛋 +３",
            ["Form.Stock"] = "１２",
        });
        var cake = await app.WithDb(shop.Shop, db => db.Items.Include(i => i.OptionGroups).ThenInclude(g => g.Options).SingleAsync(i => i.Id == shop.Cake.Id));
        Assert.Equal((1850, 12), (cake.Price, cake.Stock));
        Assert.Equal(["面型(1-1): 细 +0 | 宽 +200", "加料(0-2): 加蛋 +300"], cake.OptionGroups.OrderBy(g => g.Position)
            .Select(g => $"{g.Name}({g.MinSelect}-{g.MaxSelect}): " + string.Join(" | ", g.Options.OrderBy(o => o.Position).Select(o => $"{o.Name} +{o.PriceDelta}"))));

        // A phone number and the shop's place on the map.
        await SendAsync(owner, $"{console}/profile", "#profile", new()
        {
            ["Form.Phone"] = "０２１ ５５５５ ０１００",
            ["Form.Latitude"] = "３１．２３０４",
            ["Form.Longitude"] = "１２１．４７３７",
        });
        var profile = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Id == shop.Shop.Id));
        Assert.Equal(("021 5555 0100", 31.2304, 121.4737), (profile.Phone, profile.Latitude, profile.Longitude));

        // A tax rate with a full-width percent sign, and tables as a full-width range.
        await SendAsync(owner, $"{console}/taxes", "#taxes", new() { ["Form.Rates[0].Rate"] = "６％" });
        Assert.Contains(600, await app.WithDb(null, db => db.Set<TaxRate>().Where(r => r.ShopId == shop.Shop.Id).Select(r => r.BasisPoints).ToListAsync()));
        await SendAsync(owner, $"{console}/tables", "#add-tables", new() { ["Add.Codes"] = "１－３" });
        Assert.Superset(new HashSet<string> { "1", "2", "3" }, (await app.WithDb(shop.Shop, db => db.Tables.Select(t => t.Code).ToListAsync())).ToHashSet());

        // A closed day, its date typed in full-width digits.
        var closed = DateTime.UtcNow.AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(owner, $"{console}/closed", "#add-closed", new() { ["Date"] = Wide(closed), ["Note"] = "春节" });
        Assert.Equal(closed, (await app.WithDb(null, db => db.Set<ClosedDate>().Where(c => c.ShopId == shop.Shop.Id).Select(c => c.Date).SingleAsync()))
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        // Still wrong after folding: said in Chinese, and nothing saved.
        var refused = await SendAsync(owner, $"{console}/settings", "form.card", new() { [$"Form.Hours[{Array.IndexOf(SettingsModel.Week, DayOfWeek.Wednesday)}]"] = "十点到两点" }, HttpStatusCode.BadRequest);
        Assert.Contains("应写成 07:00-22:00 的样子", refused, StringComparison.Ordinal);
        Assert.Empty(await app.WithDb(null, db => db.Set<OpeningRange>().Where(r => r.ShopId == shop.Shop.Id && r.Day == DayOfWeek.Wednesday && r.Opens != 0).ToListAsync()));
    }

    /// <summary>Text as a Chinese keyboard in full-width mode types it: 2026-12-02 → ２０２６－１２－０２.</summary>
    private static string Wide(string text) => string.Concat(text.Select(c => c is > ' ' and <= '~' ? (char)(c + 0xFEE0) : c));

    /// <summary>Sends the page's form as the owner's browser would, with <paramref name="typed"/> in place of what the page holds.</summary>
    private static async Task<string> SendAsync(ConsoleSession owner, string url, string selector, Dictionary<string, string> typed, HttpStatusCode expected = HttpStatusCode.Redirect)
    {
        var document = new HtmlParser().ParseDocument(await owner.Client.GetStringAsync(url));
        var form = document.QuerySelector(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form {selector} on {url}.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "submit" or "button" or "file" }:
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" } check when !check.IsChecked:
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                    fields.Add(new(name, typed.Remove(name, out var value) ? value : input.Value));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                    fields.Add(new(name, typed.Remove(name, out var text) ? text : area.Value));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }
        Assert.True(typed.Count == 0, $"No fields {string.Join(", ", typed.Keys)} in {selector} on {url}.");
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : new Uri(new Uri("http://x" + url), form.GetAttribute("action")).PathAndQuery;
        HttpContent content = string.Equals(form.Enctype, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? Multipart(fields)
            : new FormUrlEncodedContent(fields);
        using var response = await owner.Client.PostAsync(action, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {action}: {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}");
        return body;
    }

    private static MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }
        return content;
    }
}
