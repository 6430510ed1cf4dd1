using System.Globalization;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Follows;
using Plaza.Features.Ordering;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Promotions;

/// <summary>Promotions with photos and item links, their edits (Update), and menu changes announced by themselves.</summary>
[LongRunning]
public sealed class PromotionTests
{
    private sealed record Node(PlazaApp App, FakePeer Peer, TestShop Shop, HttpClient Staff, ConsoleSession Owner, PeerActor Alice, PeerActor Carol) : IAsyncDisposable
    {
        public string Actor => $"http://localhost/actors/{Shop.Slug}";

        public string Posts => $"/console/{Shop.Slug}/posts";

        /// <summary>Every server the shop delivers to: alice's shared inbox and carol's own.</summary>
        public string[] Inboxes => [Alice.SharedInbox!, Carol.Inbox];

        public List<JsonObject> Received(string type, string inbox) =>
            [.. Peer.PostsTo(inbox).Select(r => r.Json).Where(j => j["type"]!.GetValue<string>() == type)];

        public async ValueTask DisposeAsync()
        {
            Owner.Dispose();
            await App.DisposeAsync();
        }
    }

    private static async Task<Node> StartAsync(Store store, Action<Plaza.Features.Catalog.Shop>? configureShop = null)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a => peer = FakePeer.For(a));
        var shop = await TestShops.CreateAsync(app, configureShop);
        var staff = app.StaffClient(await app.IssueTokenAsync(shop.Shop, scope: TokenScope.Owner));
        var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        owner.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en"); // the owner's console speaks English
        var alice = peer!.AddActor("alice");
        var carol = peer.AddActor("carol", host: "small.example", sharedInbox: false);
        await app.WithDb(null, async db =>
        {
            foreach (var f in new[] { alice, peer.AddActor("bob"), carol })
            {
                db.Followers.Add(new Follower { ShopId = shop.Shop.Id, ActorId = f.Id, Inbox = f.Inbox, SharedInbox = f.SharedInbox, FollowedAt = DateTime.UtcNow });
            }
            return await db.SaveChangesAsync();
        });
        return new Node(app, peer, shop, staff, owner, alice, carol);
    }

    private static byte[] Png(int width, int height) => Catalog.ItemImageTests.Png(width, height);

    private static ByteArrayContent File(byte[] bytes, string contentType = "image/png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new(contentType);
        return file;
    }

    private static async Task<HttpResponseMessage> UploadAsync(Node node, byte[] bytes, string contentType = "image/png")
    {
        using var form = new MultipartFormDataContent { { File(bytes, contentType), "file", "photo.png" } };
        return await node.Staff.PostAsync($"/api/v1/shops/{node.Shop.Slug}/promotions/images", form);
    }

    private static Task<int> PromotionsAsync(Node node) => node.App.WithDb(node.Shop.Shop, db => db.Promotions.CountAsync());

    private static Task<int> DeliveriesAsync(Node node) =>
        node.App.WithDb(null, db => db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync());

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitForAsync(Node node, string type, int each = 1) =>
        await WaitUntilAsync(() => node.Inboxes.All(i => node.Received(type, i).Count >= each), $"every server receives {each} {type}");

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_promotion_with_a_photo_and_an_item_link_reaches_followers_as_a_signed_Create_with_an_Image_attachment(Store store)
    {
        await using var node = await StartAsync(store);
        var uploaded = await Asserts.CreatedAsync(await UploadAsync(node, Png(1600, 1200)));
        var imagePath = uploaded.GetProperty("url").GetString()!;
        Assert.Equal((1200, 900), (uploaded.GetProperty("width").GetInt32(), uploaded.GetProperty("height").GetInt32()));

        using var response = await node.Staff.PostAsJsonAsync($"/api/v1/shops/{node.Shop.Slug}/promotions", new
        {
            text = "Our cake, now with cream.",
            itemId = node.Shop.Cake.Id,
            image = new { url = imagePath, alt = "A slice of cake with cream on a green plate" },
        });

        var created = await Asserts.CreatedAsync(response);
        var noteUrl = created.GetProperty("url").GetString()!;
        var itemLink = $"http://localhost/s/{node.Shop.Slug}#item-{node.Shop.Cake.Id}";
        Assert.Equal(itemLink, created.GetProperty("link").GetString());
        await WaitForAsync(node, "Create");
        var delivered = node.Peer.PostsTo(node.Alice.SharedInbox!).Single();
        await FederationAsserts.SignedByShopAsync(node.App.CreateClient(), delivered, node.Actor);
        var note = delivered.Json["object"]!;
        var attachment = Assert.Single(note["attachment"]!.AsArray())!;
        Assert.Equal("Image", attachment["type"]!.GetValue<string>());
        Assert.Equal("image/webp", attachment["mediaType"]!.GetValue<string>());
        Assert.Equal("http://localhost" + imagePath, attachment["url"]!.GetValue<string>());
        Assert.Equal("A slice of cake with cream on a green plate", attachment["name"]!.GetValue<string>());
        Assert.Equal(1200, attachment["width"]!.GetValue<int>());
        // Followers reach the item through the post's tracked link, so its orders are credited to the post.
        var promotionId = noteUrl.Split('/')[^1];
        var tracked = $"http://localhost/s/{node.Shop.Slug}/c/promo-{promotionId}?item={node.Shop.Cake.Id}";
        Assert.Equal(tracked, note["url"]!.GetValue<string>());
        Assert.Contains($"href=\"{tracked}\"", note["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var followed = await node.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            .GetAsync(new Uri(tracked).PathAndQuery);
        Assert.Equal($"/s/{node.Shop.Slug}/items/{node.Shop.Cake.Id}", followed.Headers.Location?.OriginalString);

        // The photo is served as WebP, the item's anchor exists on the menu, and the outbox shows the attachment too.
        using var photo = await node.App.CreateClient().GetAsync(imagePath);
        Assert.Equal("image/webp", photo.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"id=\"item-{node.Shop.Cake.Id}\"", await node.App.CreateClient().GetStringAsync($"/s/{node.Shop.Slug}"), StringComparison.Ordinal);
        var outbox = await FederationAsserts.GetActivityJsonAsync(node.App.CreateClient(), $"/actors/{node.Shop.Slug}/outbox?page=1");
        var listed = outbox.GetProperty("orderedItems")[0].GetProperty("object");
        Assert.Equal(noteUrl, listed.GetProperty("id").GetString());
        Assert.Equal("http://localhost" + imagePath, listed.GetProperty("attachment")[0].GetProperty("url").GetString());
        Assert.Contains(imagePath, await node.Owner.Client.GetStringAsync(node.Posts), StringComparison.Ordinal);
    }

    private static readonly string[] SpringCode = ["spring10"];

    [Fact]
    public async Task A_promotion_carries_a_coupons_shared_code_in_its_note_and_a_reader_uses_it_at_checkout()
    {
        await using var node = await StartAsync(Store.Sqlite);
        var slug = node.Shop.Slug;
        var shared = await Asserts.CreatedAsync(await node.Staff.PostAsJsonAsync($"/api/v1/shops/{slug}/coupons", new { name = "Spring", percentOff = 10, sharedCode = "SPRING10" }));
        var personal = await Asserts.CreatedAsync(await node.Staff.PostAsJsonAsync($"/api/v1/shops/{slug}/coupons", new { name = "Only by hand", percentOff = 50 }));

        // A coupon given by single-use codes cannot go in a public post: everyone would read it.
        var refused = await node.Staff.PostAsJsonAsync($"/api/v1/shops/{slug}/promotions", new { text = "Half off!", couponId = personal.GetProperty("id").GetInt32() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("couponId", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await Asserts.CreatedAsync(await node.Staff.PostAsJsonAsync($"/api/v1/shops/{slug}/promotions",
            new { text = "Spring is here.", couponId = shared.GetProperty("id").GetInt32() }));
        Assert.Equal("SPRING10", created.GetProperty("couponCode").GetString());
        await WaitForAsync(node, "Create");
        var note = node.Peer.PostsTo(node.Alice.SharedInbox!).Single().Json["object"]!;
        Assert.Contains("Coupon code: SPRING10", note["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var page = await node.App.CreateClient().GetStringAsync(Plaza.Features.Promotions.PromotionLinks.PagePath(slug, long.Parse(created.GetProperty("url").GetString()!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("SPRING10", page, StringComparison.Ordinal);

        var order = await TestShops.PlaceAsync(node.App.CreateClient(), node.Shop, new { type = "pickup", items = new[] { TestShops.Line(node.Shop.Cake.Id) }, customer = new { name = "Reader", phone = "+49 30 1234567" }, coupons = SpringCode });
        Assert.Equal(405, (await Asserts.CreatedAsync(order)).GetProperty("total").GetProperty("amount").GetInt64());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_edited_promotion_reaches_each_server_once_as_an_Update_and_its_note_changes(Store store)
    {
        await using var node = await StartAsync(store);
        var posts = $"/api/v1/shops/{node.Shop.Slug}/promotions";
        var created = await Asserts.CreatedAsync(await node.Staff.PostAsJsonAsync(posts, new { text = "Soup of the day: pumpkin." }));
        var id = Id(created.GetProperty("id").GetInt64());
        var noteUrl = created.GetProperty("url").GetString()!;
        await WaitForAsync(node, "Create");

        using var edited = await node.Staff.PutAsJsonAsync($"{posts}/{id}", new { text = "Soup of the day: lentil.", link = "https://example.com/soups" });

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var updateDeliveries = (await edited.JsonAsync()).GetProperty("updateDeliveries");
        Assert.Equal(2, updateDeliveries.GetProperty("pending").GetInt32() + updateDeliveries.GetProperty("delivered").GetInt32());
        await WaitForAsync(node, "Update");
        await WaitUntilSettledAsync(node.App); // nothing more is on its way
        foreach (var inbox in node.Inboxes)
        {
            var update = Assert.Single(node.Received("Update", inbox));
            Assert.Equal(noteUrl, update["object"]!["id"]!.GetValue<string>());
            Assert.Contains("lentil", update["object"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(update["object"]!["updated"]);
        }
        await FederationAsserts.SignedByShopAsync(node.App.CreateClient(), node.Peer.PostsTo(node.Carol.Inbox).Last(), node.Actor);
        Assert.Empty(node.Peer.PostsTo(node.Alice.Inbox)); // alice and bob share a server: one delivery, to its shared inbox

        var fetched = await FederationAsserts.GetActivityJsonAsync(node.App.CreateClient(), new Uri(noteUrl).PathAndQuery);
        Assert.Contains("Soup of the day: lentil.", fetched.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://example.com/soups", fetched.GetProperty("url").GetString());
        Assert.True(fetched.TryGetProperty("updated", out _));
        await WaitUntilAsync(async () => (await (await node.Staff.GetAsync(posts)).JsonAsync())[0].GetProperty("updateDeliveries").GetProperty("delivered").GetInt32() == 2,
            "the owner sees the edit delivered to both servers");

        // Saving the same content again sends nothing; a post that was taken down or never was cannot be edited.
        Assert.Equal(HttpStatusCode.OK, (await node.Staff.PutAsJsonAsync($"{posts}/{id}", new { text = "Soup of the day: lentil.", link = "https://example.com/soups" })).StatusCode);
        Assert.Equal(4, await DeliveriesAsync(node));
        await Asserts.ProblemAsync(await node.Staff.PutAsJsonAsync($"{posts}/999999", new { text = "x" }), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NoContent, (await node.Staff.DeleteAsync($"{posts}/{id}")).StatusCode);
        await Asserts.ProblemAsync(await node.Staff.PutAsJsonAsync($"{posts}/{id}", new { text = "Back again" }), HttpStatusCode.Gone, "gone");
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_owner_posts_a_photo_from_the_console_then_edits_the_post_and_followers_get_the_Update(Store store)
    {
        await using var node = await StartAsync(store);
        using (var form = new MultipartFormDataContent
        {
            { new StringContent(await node.Owner.TokenAsync(node.Posts)), "__RequestVerificationToken" },
            { new StringContent("Matcha week: every matcha drink 20 % off."), "Text" },
            { new StringContent(Id(node.Shop.Coffee.Id)), "ItemId" },
            { new StringContent("A green matcha latte in a glass"), "ImageAlt" },
            { File(Png(400, 300)), "Image", "matcha.png" },
        })
        {
            using var posted = await node.Owner.Client.PostAsync(node.Posts, form);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        await WaitForAsync(node, "Create");
        var create = node.Received("Create", node.Carol.Inbox).Single();
        Assert.Equal("A green matcha latte in a glass", create["object"]!["attachment"]![0]!["name"]!.GetValue<string>());
        var promotion = await node.App.WithDb(node.Shop.Shop, db => db.Promotions.AsNoTracking().SingleAsync());
        Assert.Equal(node.Shop.Coffee.Id, promotion.ItemId);

        // The edit form keeps the photo unless it is replaced or removed.
        var page = $"{node.Posts}?edit={promotion.Id}";
        Assert.Contains("Matcha week", await node.Owner.Client.GetStringAsync(page), StringComparison.Ordinal);
        using var edited = await node.Owner.PostFormAsync($"{node.Posts}?handler=Edit&id={promotion.Id}", new()
        {
            ["Text"] = "Matcha week extended to Sunday.",
            ["ItemId"] = Id(node.Shop.Coffee.Id),
            ["ImageAlt"] = "A green matcha latte in a tall glass",
        }, await node.Owner.TokenAsync(page));

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        await WaitForAsync(node, "Update");
        var note = node.Received("Update", node.Carol.Inbox).Single()["object"]!;
        Assert.Contains("extended to Sunday", note["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(create["object"]!["attachment"]![0]!["url"]!.GetValue<string>(), note["attachment"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("A green matcha latte in a tall glass", note["attachment"]![0]!["name"]!.GetValue<string>());
        await WaitUntilAsync(async () => (await node.Owner.Client.GetStringAsync(node.Posts)).Contains("edit: delivered 2 · pending 0 · failed 0", StringComparison.Ordinal),
            "the owner sees the edit delivered");
    }

    private static async Task SetAnnouncementsAsync(Node node, bool newItems, bool priceChanges)
    {
        var fields = new Dictionary<string, string>();
        if (newItems)
        {
            fields["newItems"] = "true";
        }
        if (priceChanges)
        {
            fields["priceChanges"] = "true";
        }
        using var saved = await node.Owner.PostFormAsync($"{node.Posts}?handler=Announcements", fields, await node.Owner.TokenAsync(node.Posts));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    private static async Task SaveItemAsync(Node node, string id, string name, string price)
    {
        var page = $"/console/{node.Shop.Slug}/menu/items/{id}";
        using var saved = await node.Owner.PostFormAsync(page, new()
        {
            ["Form.Name"] = name,
            ["Form.Price"] = price,
            ["Form.CategoryId"] = Id(node.Shop.Cake.CategoryId),
            ["Form.TaxCategory"] = "food",
        }, await node.Owner.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task With_announcements_on_a_new_item_and_a_price_change_are_each_posted_to_followers(Store store)
    {
        await using var node = await StartAsync(store);
        await SetAnnouncementsAsync(node, newItems: true, priceChanges: true);

        await SaveItemAsync(node, "new", "Matcha latte", "4.20");
        await SaveItemAsync(node, Id(node.Shop.Cake.Id), "Cake", "4.00");
        await SaveItemAsync(node, Id(node.Shop.Cake.Id), "Cake", "4.00"); // saved again, same price: nothing to announce

        await WaitForAsync(node, "Create", each: 2);
        var notes = node.Received("Create", node.Carol.Inbox).Select(c => c["object"]!).ToList();
        Assert.Equal(2, notes.Count);
        var matcha = await node.App.WithDb(node.Shop.Shop, db => db.Items.SingleAsync(i => i.Name == "Matcha latte"));
        Assert.Equal("<p>New: Matcha latte — €4.20</p>", notes[0]["content"]!.GetValue<string>().Split("<p><a")[0]);
        Assert.EndsWith($"?item={matcha.Id}", notes[0]["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith($"http://localhost/s/{node.Shop.Slug}/c/promo-", notes[0]["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("<p>New price for Cake: €4.50 → €4.00</p>", notes[1]["content"]!.GetValue<string>().Split("<p><a")[0]);
        Assert.Equal(2, await PromotionsAsync(node));
        await FederationAsserts.SignedByShopAsync(node.App.CreateClient(), node.Peer.PostsTo(node.Carol.Inbox).First(), node.Actor);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Without_announcements_turned_on_menu_changes_post_nothing(Store store)
    {
        await using var node = await StartAsync(store);

        await SaveItemAsync(node, "new", "Matcha latte", "4.20"); // off by default
        await SetAnnouncementsAsync(node, newItems: false, priceChanges: true);
        await SaveItemAsync(node, "new", "Hojicha latte", "4.40"); // only price changes are announced
        await SetAnnouncementsAsync(node, newItems: true, priceChanges: false);
        await SaveItemAsync(node, Id(node.Shop.Cake.Id), "Cake", "4.00"); // only new items are announced

        Assert.Equal(0, await PromotionsAsync(node));
        Assert.Equal(0, await DeliveriesAsync(node));
        Assert.Equal(3, await node.App.WithDb(node.Shop.Shop, db => db.Items.CountAsync(i => i.Name.EndsWith("latte") || i.Price == 400)));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_CSV_import_of_30_items_and_a_new_price_is_announced_in_one_post_in_the_shops_language(Store store)
    {
        await using var node = await StartAsync(store, shop => shop.DefaultLanguage = "zh-Hans");
        await SetAnnouncementsAsync(node, newItems: true, priceChanges: true);
        var csv = new StringBuilder("category,name,description,price,tax_category,tags,allergens,stock,sold_out,options\n");
        for (var n = 1; n <= 30; n++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Drinks,Tea {n:00},,2.{n:00},drinks,,,,no,\n");
        }
        csv.Append("All,Cake,,3.90,food,,,,no,\n"); // was 4.50
        csv.Append("All,Bun,,3.50,food,,,,no,\n"); // unchanged
        csv.Append("Drinks,Sold-out soda,,1.00,drinks,,,,yes,\n"); // new but not available: not announced

        using var imported = await Catalog.MenuCsvTests.ImportAsync(node.Owner, node.Shop, csv.ToString());

        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(34, await node.App.WithDb(node.Shop.Shop, db => db.Items.CountAsync())); // 3 + 31 new
        await WaitForAsync(node, "Create");
        await WaitUntilSettledAsync(node.App);
        Assert.Equal(1, await PromotionsAsync(node));
        Assert.Equal(2, await DeliveriesAsync(node)); // one post, one delivery per server
        var content = node.Received("Create", node.Carol.Inbox).Single()["object"]!["content"]!.GetValue<string>();
        Assert.StartsWith("<p>菜单新品：<br>Tea 01 — €2.01<br>", content, StringComparison.Ordinal);
        Assert.Contains("Tea 15 — €2.15<br>……另有 15 项。</p>", content, StringComparison.Ordinal);
        Assert.DoesNotContain("Tea 16", content, StringComparison.Ordinal);
        Assert.DoesNotContain("soda", content, StringComparison.Ordinal);
        Assert.Contains("<p>新价格：<br>Cake: €4.50 → €3.90</p>", content, StringComparison.Ordinal);
        Assert.DoesNotContain("Bun", content, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Bad_photos_texts_and_items_are_refused_with_problem_details_and_nothing_is_queued(Store store)
    {
        await using var node = await StartAsync(store);
        var other = await TestShops.CreateAsync(node.App);
        var posts = $"/api/v1/shops/{node.Shop.Slug}/promotions";
        var big = new byte[6 * 1024 * 1024];
        Png(10, 10).CopyTo(big, 0);

        Asserts.HasFieldError(await Asserts.ProblemAsync(await UploadAsync(node, "<svg onload=alert(1)>"u8.ToArray(), "image/svg+xml"), HttpStatusCode.BadRequest, "invalid-request"), "file");
        Asserts.HasFieldError(await Asserts.ProblemAsync(await UploadAsync(node, big), HttpStatusCode.BadRequest, "invalid-request"), "file");
        var stored = (await Asserts.CreatedAsync(await UploadAsync(node, Png(20, 20)))).GetProperty("url").GetString()!;
        var othersPhoto = stored.Replace($"/media/{node.Shop.Shop.Id}/", $"/media/{other.Shop.Id}/", StringComparison.Ordinal);

        async Task RefusedAsync(object body, string field, string? path = null, Func<HttpClient, string, object, Task<HttpResponseMessage>>? send = null)
        {
            using var response = await (send ?? ((c, u, b) => c.PostAsJsonAsync(u, b)))(node.Staff, path ?? posts, body);
            Asserts.HasFieldError(await Asserts.ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request"), field);
        }
        await RefusedAsync(new { text = "   " }, "text");
        await RefusedAsync(new { text = "Their cake", itemId = other.Cake.Id }, "itemId");
        await RefusedAsync(new { text = "Both", itemId = node.Shop.Cake.Id, link = "https://example.com" }, "itemId");
        await RefusedAsync(new { text = "No description", image = new { url = stored } }, "image.alt");
        await RefusedAsync(new { text = "Not our photo", image = new { url = othersPhoto, alt = "cake" } }, "image.url");
        await RefusedAsync(new { text = "Anywhere", image = new { url = "/media/../plaza.db", alt = "cake" } }, "image.url");
        Assert.Equal(0, await PromotionsAsync(node));

        // An edit with bad input changes nothing and sends nothing.
        var created = await Asserts.CreatedAsync(await node.Staff.PostAsJsonAsync(posts, new { text = "Lunch at noon." }));
        var id = Id(created.GetProperty("id").GetInt64());
        await RefusedAsync(new { text = "" }, "text", $"{posts}/{id}", (c, u, b) => c.PutAsJsonAsync(u, b));
        await RefusedAsync(new { text = "Their cake", itemId = other.Cake.Id }, "itemId", $"{posts}/{id}", (c, u, b) => c.PutAsJsonAsync(u, b));
        Assert.Equal("Lunch at noon.", await node.App.WithDb(node.Shop.Shop, db => db.Promotions.Select(p => p.Text).SingleAsync()));
        Assert.Equal(2, await DeliveriesAsync(node)); // the one valid post's Create, to two servers

        // The console shows the reason on the form and stores neither the post nor its photo.
        var media = Path.Combine(node.App.Services.GetRequiredService<Plaza.Features.Catalog.ItemImages>().Root, Id(node.Shop.Shop.Id));
        var mediaFiles = Directory.GetFiles(media).Length;
        foreach (var (text, file, alt, message) in new[]
        {
            ("Fresh bread", "not a picture"u8.ToArray(), "bread", "not a JPEG, PNG or WebP photo"),
            ("", Png(30, 30), "bread", "Write between 1 and 5000 characters."),
            ("Fresh bread", Png(30, 30), "", "Describe the photo in up to 1500 characters"),
        })
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await node.Owner.TokenAsync(node.Posts)), "__RequestVerificationToken" },
                { new StringContent(text), "Text" },
                { new StringContent(alt), "ImageAlt" },
                { File(file), "Image", "bread.png" },
            };
            using var refused = await node.Owner.Client.PostAsync(node.Posts, form);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(1, await PromotionsAsync(node));
        Assert.Equal(2, await DeliveriesAsync(node));
        Assert.Equal(mediaFiles, Directory.GetFiles(media).Length);
    }
}
