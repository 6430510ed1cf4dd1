using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Common;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Common;

/// <summary>
/// A noodle shop set to Chinese, tried as its owner, its staff and its customers would with a phone set to zh-CN: every
/// page of the console and the storefront (found from the endpoint table, so a new page is swept without editing this
/// test), every form on them sent back emptied, and the API's refusals. No English may show: page text, labels,
/// placeholders, titles, the words the pages' scripts show (data-* attributes), the refusal page staff get, problem
/// titles, details and field messages. The shop's own data is Chinese; the few Latin words allowed are names (Plaza,
/// CSV, QR…), identifiers people pick from a list (time zones, currency codes) and what a person typed.
/// </summary>
public sealed partial class ChineseSweepTests
{
    [Fact]
    public async Task Every_page_form_and_refusal_a_chinese_owner_staff_and_customer_meet_is_in_chinese()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await ChineseShopAsync(app);
        var found = new List<string>();

        using var owner = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail(), (shop, ShopRole.Owner));
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        await app.WithDb(null, db => db.Accounts.Where(a => a.Email.StartsWith("owner.")).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsOperator, true)));
        using var customer = ConsoleSession.Anonymous(app);
        foreach (var session in new[] { owner, staff, customer })
        {
            session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
            session.Client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        }
        var order = (await Asserts.CreatedAsync(await customer.Client.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders",
            new { type = "pickup", customer = Wang, note = "不要香菜", items = new[] { Line(shop.Coffee.Id, 1, shop.Large.Id) } }))).GetProperty("id").GetGuid();

        // An import waiting for the owner's confirmation, so its preview page is swept too.
        var importId = await PendingImportAsync(owner, shop);
        var pages = PageRoutes(app).Select(route => Fill(route, shop, order, importId)).Distinct().ToList();
        Assert.Contains($"/console/{shop.Slug}/settings", pages);
        Assert.Contains($"/s/{shop.Slug}/checkout", pages);

        // Every page first, then every form on them sent back emptied: a form that deletes runs after all pages were read.
        var forms = new List<(ConsoleSession Session, string Url, IHtmlFormElement Form)>();
        foreach (var url in pages)
        {
            var session = url.StartsWith("/console", StringComparison.Ordinal) ? owner : customer;
            using var response = await session.Client.GetAsync(url);
            found.AddRange(Failed(response, $"GET {url}"));
            var document = await HtmlAsync(response);
            if (document is null)
            {
                continue;
            }
            forms.AddRange(document.Forms.Where(IsPost).Select(f => (session, url, f)));
            found.AddRange(English(document).Select(e => $"GET {url}: {e}"));
        }
        // The API's refusals while the menu is whole (an emptied delete form below takes an item away).
        found.AddRange(await ApiRefusalsAsync(app, shop, order));
        foreach (var (session, url, form) in forms)
        {
            found.AddRange(await PostEmptiedAsync(session, url, form));
        }

        // Staff following a link to an owner's page get a page that says why, in Chinese (not a JSON body).
        foreach (var url in pages.Where(p => p.StartsWith($"/console/{shop.Slug}/", StringComparison.Ordinal)))
        {
            using var response = await staff.Client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                found.AddRange(English((await HtmlAsync(response))!).Select(e => $"GET {url} as staff: {e}"));
            }
        }

        Assert.True(found.Count == 0, "English on Chinese pages and messages:\n" + string.Join("\n", found.Distinct()));
    }

    [Fact]
    public void Every_problem_title_has_its_chinese_words()
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-Hans");
            var english = Problems.Titles.Where(t => Problems.Title(t.Key) == t.Value).Select(t => t.Key).ToList();
            Assert.True(english.Count == 0, "Problem types without Chinese titles: " + string.Join(", ", english));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>The test shop renamed into a Chinese noodle shop: name, menu, options, table and tax rates.</summary>
    private static async Task<TestShop> ChineseShopAsync(PlazaApp app)
    {
        var shop = await CreateAsync(app, s =>
        {
            s.Name = "兰州拉面";
            s.Description = "手工拉面，现拉现煮。";
            s.Cuisine = "面馆";
            s.Address = "上海市黄浦区云南南路 88 号";
            s.Currency = "CNY";
            s.TimeZone = "Asia/Shanghai";
            s.DefaultLanguage = "zh-Hans";
            s.Phone = "021 5555 0100";
        });
        await app.WithDb(shop.Shop, async db =>
        {
            async Task Rename<T>(DbSet<T> set, Func<T, bool> which, Action<T> rename) where T : class
            {
                foreach (var row in (await set.ToListAsync()).Where(which))
                {
                    rename(row);
                }
            }
            var names = new Dictionary<string, string>
            {
                ["Coffee"] = "牛肉拉面",
                ["Cake"] = "凉拌黄瓜",
                ["Bun"] = "肉夹馍",
                ["All"] = "全部",
                ["Size"] = "面型",
                ["Regular"] = "细",
                ["Large"] = "宽",
                ["Extras"] = "加料",
                ["Extra shot"] = "加牛肉",
                ["Syrup"] = "加蛋",
                ["Cream"] = "加香菜",
            };
            await Rename(db.Items, _ => true, i => (i.Name, i.Description) = (names[i.Name], "清汤牛肉，手工拉制。"));
            await Rename(db.Categories, _ => true, c => c.Name = names[c.Name]);
            await Rename(db.Set<OptionGroup>(), _ => true, g => g.Name = names[g.Name]);
            await Rename(db.Set<Option>(), _ => true, o => o.Name = names[o.Name]);
            await Rename(db.Tables, _ => true, t => t.Name = "7号桌");
            await Rename(db.Set<TaxRate>(), _ => true, r => r.Name = r.Code == "food" ? "餐饮 (7 %)" : "饮品 (19 %)");
            return await db.SaveChangesAsync();
        });
        return shop;
    }

    private static List<string> PageRoutes(PlazaApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p != "/console/sign-out")];

    private static async Task<string> PendingImportAsync(ConsoleSession owner, TestShop shop)
    {
        var menu = $"/console/{shop.Slug}/menu";
        var token = await owner.TokenAsync(menu);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("分类,名称,描述,价格,税类,标签,过敏原,库存,售罄,选项\n面食,牛肉拉面,,18,food,,,,否,\n")), "file", "菜单.csv" },
        };
        using var response = await owner.Client.PostAsync(menu + "?handler=Import", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    private static string Fill(string route, TestShop shop, Guid order, string importId) => RouteParameter().Replace(route, m => m.Groups[1].Value switch
    {
        "id:int" when route.Contains("/menu/import/", StringComparison.Ordinal) => importId,
        "shop" => shop.Slug,
        "id:guid" => order.ToString(),
        "id" or "id:int" => shop.Coffee.Id.ToString(CultureInfo.InvariantCulture),
        "id:long" => "999999",
        "kind" => "table",
        "name" => shop.Table.Code,
        _ => "not-a-real-" + m.Groups[1].Value,
    });

    private static bool IsPost(IHtmlFormElement form) => string.Equals(form.Method, "post", StringComparison.OrdinalIgnoreCase)
        && !(form.Action ?? "").EndsWith("/sign-out", StringComparison.Ordinal);

    /// <summary>Sends a form back with everything a person types emptied (hidden fields kept), and reads what the page says then.</summary>
    private static async Task<List<string>> PostEmptiedAsync(ConsoleSession session, string url, IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "hidden" } hidden when hidden.Name is { Length: > 0 } name:
                    fields.Add(new(name, hidden.Value));
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" or "submit" or "button" or "file" }:
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                    fields.Add(new(name, ""));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                    fields.Add(new(name, ""));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        using var response = await session.Client.PostAsync(action, new FormUrlEncodedContent(fields));
        var what = $"POST {action} (emptied, from {url})";
        var document = await HtmlAsync(response);
        return [.. Failed(response, what), .. document is null ? [] : English(document).Select(e => $"{what}: {e}")];
    }

    /// <summary>Bad input gets a page that says what is wrong, never a server error.</summary>
    private static IEnumerable<string> Failed(HttpResponseMessage response, string what) =>
        (int)response.StatusCode >= 500 ? [$"{what}: answered {(int)response.StatusCode}"] : [];

    private static async Task<IHtmlDocument?> HtmlAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/html"
            ? new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync())
            : null;

    /// <summary>The API's refusals a Chinese client meets, each read for its title, detail and field messages.</summary>
    private static async Task<List<string>> ApiRefusalsAsync(PlazaApp app, TestShop shop, Guid order)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var token = await app.IssueTokenAsync(shop.Shop, "前台");
        using var staff = app.StaffClient(token);
        staff.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var ownerApi = app.StaffClient(await app.IssueTokenAsync(shop.Shop, "店主", Plaza.Features.Ordering.TokenScope.Owner));
        ownerApi.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var orders = $"/api/v1/shops/{shop.Slug}/orders";
        StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
        var requests = new List<(string What, Func<Task<HttpResponseMessage>> Send)>
        {
            ("every field wrong", () => client.PostAsJsonAsync(orders, new
            {
                type = "boat", customer = new { name = "", phone = "12" }, note = new string('长', 600),
                items = new object[] { new { itemId = 999999, quantity = 0 }, new { itemId = 0, quantity = 1000 } }, tip = new { percent = 500 },
            })),
            ("no items", () => client.PostAsJsonAsync(orders, new { type = "pickup", customer = Wang, items = Array.Empty<object>() })),
            ("unknown table", () => client.PostAsJsonAsync(orders, new { type = "dineIn", table = "99", customer = Wang, items = new[] { Line(shop.Cake.Id) } })),
            ("delivery without address", () => client.PostAsJsonAsync(orders, new { type = "delivery", customer = Wang, items = new[] { Line(shop.Cake.Id) } })),
            ("a missing choice", () => client.PostAsJsonAsync(orders, new { type = "pickup", customer = Wang, items = new[] { Line(shop.Coffee.Id) } })),
            ("too many", () => client.PostAsJsonAsync(orders, new { type = "pickup", customer = Wang, items = new[] { Line(shop.Bun.Id, 11) } })),
            ("a wrong total", () => client.PostAsJsonAsync(orders, new
            {
                type = "pickup", customer = Wang, items = new[] { Line(shop.Cake.Id) }, expectedTotal = new { amount = 1, currency = "CNY" },
            })),
            ("not JSON", () => client.PostAsync(orders, Json("{"))),
            ("not an object", () => client.PostAsync(orders, Json("[]"))),
            ("a wrong type", () => client.PostAsync(orders, Json("""{"type":1}"""))),
            ("too large", () => client.PostAsync(orders, Json("\"" + new string('x', 70_000) + "\""))),
            ("a quote of nothing", () => client.PostAsync($"/api/v1/shops/{shop.Slug}/quote", Json("""{"type":"pickup","items":[]}"""))),
            ("no such shop", () => client.GetAsync("/api/v1/shops/x404/menu")),
            ("no such shop page", () => client.GetAsync("/s/x404")),
            ("no such order", () => client.GetAsync($"{orders}/{Guid.NewGuid()}")),
            ("no route", () => client.GetAsync("/api/v1/nothing-here")),
            ("a wrong method", () => client.DeleteAsync($"/api/v1/shops/{shop.Slug}/menu")),
            ("nearby without a place", () => client.GetAsync("/api/v1/nearby?lat=100&lon=500&radiusKm=0")),
            ("a status that is none", () => staff.PostAsync($"{orders}/{order}/status", Json("""{"status":"eaten"}"""))),
            ("a rejection without a reason", () => staff.PostAsync($"{orders}/{order}/status", Json("""{"status":"rejected"}"""))),
            ("a step back", () => staff.PostAsync($"{orders}/{order}/status", Json("""{"status":"placed"}"""))),
            ("a report of a bad period", () => ownerApi.GetAsync($"/api/v1/shops/{shop.Slug}/reports/sales?period=century")),
            ("a choice twice", () => client.PostAsJsonAsync(orders, new { type = "pickup", customer = Wang, items = new[] { Line(shop.Coffee.Id, 1, shop.Large.Id, shop.Large.Id) } })),
            ("an option of another item", () => client.PostAsJsonAsync(orders, new { type = "pickup", customer = Wang, items = new[] { Line(shop.Cake.Id, 1, shop.Large.Id) } })),
            ("too many extras", () => client.PostAsJsonAsync(orders, new
            {
                type = "pickup", customer = Wang, items = new[] { Line(shop.Coffee.Id, 1, shop.Large.Id, shop.Shot.Id, shop.Syrup.Id, shop.Extras.Options[2].Id) },
            })),
            ("a promotion with nothing", () => ownerApi.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/promotions", new { text = "", link = "not a link" })),
            ("a staff token on an owner's call", () => staff.GetAsync($"/api/v1/shops/{shop.Slug}/promotions")),
            ("no token", () => client.PostAsJsonAsync($"{orders}/{order}/status", new { status = "accepted" })),
        };
        var found = new List<string>();
        foreach (var (what, send) in requests)
        {
            using var response = await send();
            Assert.True((int)response.StatusCode >= 400, $"{what}: expected a refusal, got {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                found.AddRange(English(new HtmlParser().ParseDocument(body)).Select(e => $"{what}: {e}"));
                continue;
            }
            if (body.Length == 0)
            {
                continue;
            }
            using var problem = JsonDocument.Parse(body);
            foreach (var text in ProblemTexts(problem.RootElement))
            {
                found.AddRange(EnglishWords(text).Select(w => $"{what} ({(int)response.StatusCode}): \"{w}\" in \"{text}\""));
            }
        }
        // The one refusal that must wait its turn: the same key with another body.
        var key = Guid.NewGuid().ToString();
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop), key));
        using var reused = await PlaceAsync(client, shop, Order(shop, items: [Line(shop.Bun.Id)]), key);
        foreach (var text in ProblemTexts((await reused.JsonAsync())))
        {
            found.AddRange(EnglishWords(text).Select(w => $"a reused key: \"{w}\" in \"{text}\""));
        }
        return found;
    }

    private static readonly object Wang = new { name = "王", phone = "13800138000" };

    private static IEnumerable<string> ProblemTexts(JsonElement problem)
    {
        foreach (var name in new[] { "title", "detail" })
        {
            if (problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return value.GetString()!;
            }
        }
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                foreach (var message in field.Value.EnumerateArray())
                {
                    yield return message.GetString()!;
                }
            }
        }
    }

    /// <summary>What a person sees or hears on a page: its text, labels, placeholders, titles and the words its scripts show.</summary>
    private static IEnumerable<string> English(IHtmlDocument document)
    {
        foreach (var skipped in document.QuerySelectorAll("script, style, code, pre, kbd, samp, template"))
        {
            skipped.Remove();
        }
        // Lists of identifiers (time zones, currencies) show each as it is named, not as text to translate.
        foreach (var option in document.QuerySelectorAll("option").OfType<IHtmlOptionElement>().Where(o => o.Value == o.Text.Trim()))
        {
            option.Remove();
        }
        var texts = new List<string> { document.Title ?? "" };
        texts.AddRange(document.Body!.Descendants<IText>().Select(t => t.Data));
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                var shown = attribute.Name is "title" or "aria-label" or "alt"
                    || (attribute.Name == "value" && element is IHtmlInputElement { Type: "submit" or "button" })
                    || (attribute.Name == "content" && element.GetAttribute("name") is "description");
                // Scripts read words from data-* attributes, and placeholders show examples; a lower-case identifier
                // there (a status, a field name, an example code) or a JSON map is not a sentence.
                var maybe = attribute.Name == "placeholder" || attribute.Name.StartsWith("data-", StringComparison.Ordinal);
                if (shown || (maybe && !Identifier().IsMatch(attribute.Value) && !attribute.Value.StartsWith('{')))
                {
                    texts.Add(attribute.Value);
                }
            }
        }
        return texts.SelectMany(t => EnglishWords(t).Select(w => $"\"{w}\" in \"{Clip(t)}\""));
    }

    private static IEnumerable<string> EnglishWords(string text)
    {
        var plain = NotWords().Replace(text, " ");
        return Word().Matches(plain).Select(m => m.Value).Where(w => !Names.Contains(w));
    }

    private static string Clip(string text)
    {
        var t = Regex.Replace(text.Trim(), @"\s+", " ");
        return t.Length > 120 ? t[..120] + "…" : t;
    }

    /// <summary>Latin words that are names in Chinese text too.</summary>
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "Plaza", "CSV", "QR", "ESC/POS", "ESC", "POS", "PDF", "PNG", "JPEG", "WebP", "SVG", "API", "URL", "HTTP", "HTTPS", "JSON", "ActivityPub", "Mastodon", "Fediverse",
        "English", "CNY", "EUR", "USD", "UTC", "ISO", "IANA", "km", "KB", "MB", "Asia", "Shanghai", "Europe", "Berlin", "Excel", "Wi", "Fi",
        "Bearer", "Authorization", "Idempotency", "Key", "PublicUrl", "MiB", "http", "JavaScript", "OpenStreetMap", "Flag", "GBK", "GB", "UTF", "Unicode",
        // The API's own words (field names and values), which a message to a developer quotes as they are sent.
        "accepted", "preparing", "ready", "completed", "rejected", "cancelled", "dineIn", "pickup", "delivery", "itemId", "quantity",
        "id", "type", "actor", "multipart", "file", "today", "custom",
    };

    [GeneratedRegex(@"\{(\w+(?::\w+)?)\}")]
    private static partial Regex RouteParameter();

    // URLs, e-mail addresses, fediverse handles, paths, hex and slugs made by tests carry Latin letters without being English.
    // So do settings (Plaza:Mail:Host), command-line verbs (create-shop) and the e-mail names of test accounts.
    [GeneratedRegex(@"\S+@\S+|\S+\.(?:csv|txt|png|jpe?g|pdf|svg)\b|\b\w+(?::\w+)+\b|\b[a-z]+(?:-[a-z]+)+\b|\b\w+\.[0-9a-f]{10}\b|\b\w+://\S+|(?<!\w)/\S+|\bt[0-9a-f]{10}\b|\b[0-9a-f]{8}-[0-9a-f-]{27}\b|\b(?=\w*\d)\w+\b")]
    private static partial Regex NotWords();

    [GeneratedRegex(@"^[a-z][A-Za-z0-9._-]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"[A-Za-z][A-Za-z'’]+")]
    private static partial Regex Word();
}
