using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>
/// Every console route, found from the app's own endpoint table (a new route is swept without
/// editing this test), tried as a stranger, as staff of shop A reaching for shop B, and as staff
/// asking for owner-only pages. All are refused and no row anywhere changes.
/// </summary>
[LongRunning]
public sealed class IsolationSweepTests
{
    /// <summary>A route's handler; <paramref name="TakesId"/> when an id can reach it (a parameter or bound property named id or …Id).</summary>
    private sealed record Call(string Method, string? Handler, bool TakesId);

    private sealed record Route(string Pattern, IReadOnlyList<Call> Calls, bool OwnerOnly);

    private static bool IsIdName(string? name) => name is not null && (name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal));

    private static List<Route> ConsoleRoutes(PlazaApp app) => Routes<IShopConsoleEndpoint>(app);

    private static List<Route> Routes<TMarker>(PlazaApp app) where TMarker : class
    {
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<TMarker>() is null)
            {
                continue;
            }
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var page = endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>();
            IReadOnlyList<Call> calls;
            if (page is null)
            {
                // A delegate that reads the request itself could take an id from anywhere: it gets every id.
                var method = endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>();
                var takesId = method is null || method.GetParameters().Any(p => IsIdName(p.Name) || p.ParameterType == typeof(Microsoft.AspNetCore.Http.HttpContext) || p.ParameterType == typeof(Microsoft.AspNetCore.Http.HttpRequest));
                calls = [.. (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Call(m, null, takesId))];
            }
            else
            {
                var bound = page.BoundProperties.Any(p => IsIdName(p.Name));
                bool TakesId(string method, string? name) => bound || page.HandlerMethods
                    .Where(h => string.Equals(h.HttpMethod, method, StringComparison.OrdinalIgnoreCase) && h.Name == name).Any(h => h.Parameters.Any(p => IsIdName(p.Name)));
                calls = [.. new[] { ("GET", (string?)null) }.Concat(page.HandlerMethods.Select(h => (h.HttpMethod.ToUpperInvariant(), h.Name))).Distinct()
                    .Select(c => new Call(c.Item1, c.Item2, TakesId(c.Item1, c.Item2)))];
            }
            routes.Add(new Route(pattern, calls, endpoint.Metadata.GetMetadata<OwnerOnlyAttribute>() is not null));
        }
        return routes;
    }

    private static Task<string> StateAsync(PlazaApp app, int shopId) => StoreFingerprint.ShopAsync(app, shopId);

    /// <summary>Whether an id can stand in a route's <c>{id:int}</c> or <c>{id:guid}</c> (any id fits an unconstrained one).</summary>
    private static bool Fits(string pattern, string id) =>
        (!pattern.Contains("{id:int}", StringComparison.Ordinal) || int.TryParse(id, out _)) && (!pattern.Contains("{id:guid}", StringComparison.Ordinal) || Guid.TryParse(id, out _))
        && (!pattern.Contains("{id:long}", StringComparison.Ordinal) || long.TryParse(id, out _));

    /// <summary>A member of B's with points and a balance, and a coupon of B's that could be given to them.</summary>
    private static Task<string[]> MemberAndCouponAsync(PlazaApp app, int shopId) => app.WithDb(null, async db =>
    {
        var member = new Plaza.Features.Members.Member { ShopId = shopId, Email = "b-member@example.com", Language = "en", SecurityStamp = "s", Points = 50, Balance = 500 };
        var coupon = new Plaza.Features.Loyalty.Coupon { ShopId = shopId, Name = "B's coupon", Kind = Plaza.Features.Loyalty.CouponKind.AmountOff, Value = 100 };
        db.AddRange(member, coupon);
        await db.SaveChangesAsync();
        return new[] { member.Id, (long)coupon.Id }.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    });

    /// <summary>A menu import of B's waiting for its owner's confirmation, which would add an item if confirmed.</summary>
    private static Task<string> PendingImportAsync(PlazaApp app, int shopId) => app.WithDb(null, async db =>
    {
        var import = new Plaza.Features.Catalog.MenuImport
        {
            ShopId = shopId,
            Status = Plaza.Features.Catalog.MenuImportStatus.Pending,
            FileName = "menu.csv",
            Encoding = "utf-8",
            Csv = "category,name,description,price,tax_category,tags,allergens,stock,sold_out,options\nAll,Taken over,,0.01,food,,,,no,\n",
            Rows = 1,
            CreatedAt = DateTime.UtcNow,
        };
        db.MenuImports.Add(import);
        await db.SaveChangesAsync();
        return import.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <summary>B's reservation rules, a combination of two of its tables and a booked reservation holding one, so the reservation pages' handlers can be tried on them.</summary>
    private static Task<string[]> ReservationRowsAsync(PlazaApp app, int shopId) => app.WithDb(null, async db =>
    {
        var tables = Enumerable.Range(1, 2).Select(n => new Plaza.Features.Catalog.ShopTable { ShopId = shopId, Code = $"R{n}", Name = $"R{n}", Seats = 4, Bookable = true }).ToList();
        db.Tables.AddRange(tables);
        db.ReservationSettings.Add(new Plaza.Features.Reservations.ReservationSettings { ShopId = shopId, Enabled = true });
        await db.SaveChangesAsync();
        var group = new Plaza.Features.Reservations.TableGroup { ShopId = shopId, Seats = 8, Members = [.. tables.Select(t => new Plaza.Features.Reservations.TableGroupMember { ShopId = shopId, TableId = t.Id })] };
        var start = DateTime.UtcNow.AddDays(3);
        var reservation = new Plaza.Features.Reservations.Reservation
        {
            Id = Guid.NewGuid(),
            ShopId = shopId,
            Start = start,
            End = start.AddHours(2),
            PartySize = 2,
            Name = "B guest",
            Phone = "+49 30 1234567",
            Email = "b@example.com",
            Tables = "R1",
        };
        db.AddRange(group, reservation);
        db.TableHolds.Add(new Plaza.Features.Reservations.TableHold { ShopId = shopId, TableId = tables[0].Id, Quarter = new DateTimeOffset(start).ToUnixTimeSeconds() / 900 * 900, ReservationId = reservation.Id });
        await db.SaveChangesAsync();
        return new[] { group.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), reservation.Id.ToString() };
    });

    [Fact]
    public async Task The_fingerprint_reads_every_table_a_shop_has_rows_in()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var (tables, owned) = await app.WithDb(null, db => Task.FromResult((
            StoreFingerprint.ShopRowQueries(db.Model).Select(q => q.Table).ToHashSet(),
            db.Model.GetEntityTypes().Where(e => typeof(Plaza.Common.IShopOwned).IsAssignableFrom(e.ClrType)).Select(e => e.GetTableName()!).ToList())));

        Assert.All(owned, table => Assert.Contains(table, tables));
        Assert.Superset(new HashSet<string> { "Shops", "Tables", "Options", "OrderLines", "Channels", "ChannelVisits", "HubMembers", "Promotions", "Items" }, tables);
    }

    private static Dictionary<string, string> Fields(string id) => new()
    {
        ["id"] = id,
        ["status"] = "accepted",
        ["reason"] = "x",
        ["readyInMinutes"] = "5",
        ["soldOut"] = "true",
        ["stock"] = "0",
        ["name"] = "Taken over",
        ["by"] = "1",
        ["minutes"] = "30",
        ["role"] = "Owner",
        ["Form.Name"] = "Taken over",
        ["Form.Price"] = "0.01",
        ["Form.Currency"] = "XAU",
        ["Form.TimeZone"] = "UTC",
        ["approve"] = "true",
        ["actor"] = JoinedHub,
        ["ObjectId"] = "not a post",
        ["Target"] = "peer.example",
        ["moveItems"] = "true",
        ["Date"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["Form.Phone"] = "+1 555 0100",
        ["Form.Commission"] = "1",
    };

    /// <summary>
    /// The fields each handler's form posts, read from the page as shop A's owner sees it (its defaults, hidden fields and
    /// chosen options), so a handler in the sweep runs with the input a person would send and reaches its writes, rather
    /// than stopping at validation for a field the test did not guess. Keyed by route pattern and handler name.
    /// </summary>
    private static async Task<Dictionary<(string Pattern, string Handler), Dictionary<string, string>>> FormsAsync(
        ConsoleSession owner, TestShop shop, IEnumerable<Route> routes)
    {
        var forms = new Dictionary<(string, string), Dictionary<string, string>>();
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        foreach (var route in routes.Where(r => r.Calls.Any(c => c.Method == "POST")))
        {
            var url = route.Pattern.Replace("{shop}", shop.Slug, StringComparison.Ordinal)
                .Replace("{id}", shop.Bun.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            using var response = await owner.Client.GetAsync(url);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }
            using var document = parser.ParseDocument(await response.Content.ReadAsStringAsync());
            foreach (var form in document.Forms.Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase)))
            {
                var fields = new Dictionary<string, string>();
                foreach (var element in form.Elements)
                {
                    switch (element)
                    {
                        case AngleSharp.Html.Dom.IHtmlInputElement input when input.Name is { Length: > 0 } name && input.Type is not ("submit" or "button" or "file")
                            && (input.Type is not ("checkbox" or "radio") || input.IsChecked):
                            fields.TryAdd(name, input.Value);
                            break;
                        case AngleSharp.Html.Dom.IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                            fields.TryAdd(name, select.Value ?? "");
                            break;
                        case AngleSharp.Html.Dom.IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                            fields.TryAdd(name, area.Value);
                            break;
                    }
                }
                fields.Remove("__RequestVerificationToken");
                var actions = form.QuerySelectorAll("button[formaction], input[formaction]").Select(b => b.GetAttribute("formaction")).Append(form.GetAttribute("action"));
                foreach (var handler in actions.Select(HandlerOf))
                {
                    forms.TryAdd((route.Pattern, handler.ToUpperInvariant()), fields);
                }
            }
        }
        return forms;

        // A form with no handler in its action posts to the page's OnPost, keyed "".
        static string HandlerOf(string? action) => action is null ? ""
            : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), action).Query).TryGetValue("handler", out var h) ? h.ToString() : "";
    }

    /// <summary>
    /// Gives every named row of shop A (items, categories, tax rates, tables, channels…) a name shop B's rows do not have:
    /// the two test shops are alike, so A's own form posted onto B's row would otherwise write what B already holds.
    /// </summary>
    private static Task<int> DistinguishAsync(PlazaApp app, TestShop shop) => app.WithDb(null, async db =>
    {
        var renamed = 0;
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.FindProperty("ShopId") is not null))
        {
            if (entity.FindProperty("Name") is { } name && name.ClrType == typeof(string) && entity.GetTableName() is { } table)
            {
                // Table and column names come from the model, not from input; the shop id is a parameter.
                var sql = $"UPDATE \"{table}\" SET \"{name.GetColumnName()}\" = \"{name.GetColumnName()}\" || ' A' WHERE \"ShopId\" = {{0}}";
                renamed += await db.Database.ExecuteSqlRawAsync(sql, shop.Shop.Id);
            }
        }
        return renamed;
    });

    /// <summary>
    /// B's ids to try on a handler: each one that fits the route when an id can reach the handler (in the route, a parameter,
    /// a bound property, or a field of its form); otherwise the first, since every id would be the same request.
    /// </summary>
    private static IEnumerable<string> IdsFor(string[] ids, Dictionary<(string Pattern, string Handler), Dictionary<string, string>> forms,
        Route route, string method, string? handler)
    {
        var fitting = ids.Where(id => Fits(route.Pattern, id)).ToList();
        var call = route.Calls.First(c => c.Method == method && c.Handler == handler);
        var formTakesId = forms.TryGetValue((route.Pattern, (handler ?? "").ToUpperInvariant()), out var form)
            && form.Any(f => IsIdName(f.Key[(f.Key.LastIndexOf('.') + 1)..]) && f.Value is not ("" or "0"));
        return call.TakesId || formTakesId || route.Pattern.Contains("{id", StringComparison.Ordinal) ? fitting : fitting.Take(1);
    }

    /// <summary>What a POST of the sweep sends: the handler's own form when the page has one, over the guessed fields; every id in it is the swept one.</summary>
    private static Dictionary<string, string> PostFields(
        Dictionary<(string Pattern, string Handler), Dictionary<string, string>> forms, string pattern, string? handler, string id)
    {
        var fields = Fields(id);
        if (forms.TryGetValue((pattern, (handler ?? "").ToUpperInvariant()), out var form))
        {
            foreach (var (name, value) in form)
            {
                var last = name[(name.LastIndexOf('.') + 1)..];
                // An id the page filled in (one of A's rows) becomes the swept one; a new row's empty or 0 id stays new.
                var isId = last.Equals("id", StringComparison.OrdinalIgnoreCase) || last.EndsWith("Id", StringComparison.Ordinal);
                fields[name] = isId && value is not ("" or "0") ? id : value;
            }
        }
        return fields;
    }

    /// <summary>A holiday of the shop's, so removing it through another shop's page can be tried.</summary>
    private static async Task<string> ClosedDayAsync(Plaza.Data.PlazaDb db, int shopId)
    {
        var day = new Plaza.Features.Catalog.ClosedDate { ShopId = shopId, Date = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)), Note = "Holiday" };
        db.Add(day);
        await db.SaveChangesAsync();
        return day.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A channel the owner named ("flyer"), so retiring it through another shop's page can be tried.</summary>
    private static async Task<string> NamedChannelAsync(Plaza.Data.PlazaDb db, int shopId)
    {
        var channel = new Plaza.Features.Channels.Channel { ShopId = shopId, Kind = Plaza.Features.Channels.ChannelKind.Named, Code = "flyer", Name = "Flyer", CreatedAt = DateTime.UtcNow };
        db.Add(channel);
        await db.SaveChangesAsync();
        return channel.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A segment the owner made ("lapsed"), so removing it through another shop's page can be tried.</summary>
    private static async Task<string> SegmentAsync(Plaza.Data.PlazaDb db, int shopId)
    {
        var segment = new Plaza.Features.Campaigns.Segment { ShopId = shopId, Name = "Lapsed", MinDaysSinceOrder = 30, CreatedAt = DateTime.UtcNow };
        db.Add(segment);
        await db.SaveChangesAsync();
        return segment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string JoinedHub = "https://peer.example/hubs/street";

    /// <summary>Shop links of a shop to sweep: a hub it runs with a member and a join request, a boost, a hub it joined, a follower.</summary>
    private static Task<string[]> LinkAsync(PlazaApp app, TestShop shop) => app.WithDb(null, async db =>
    {
        var now = DateTime.UtcNow;
        // The sweep can outlast a busy machine's 5 minutes; B's placed order must not be auto-rejected meanwhile.
        (await db.Shops.SingleAsync(s => s.Id == shop.Shop.Id)).AcceptWithinMinutes = 120;
        var hub = new Plaza.Features.Hubs.Hub { ShopId = shop.Shop.Id, Name = "street-" + shop.Slug, DisplayName = "Street", PublicKeyPem = "-", PrivateKeyPem = "-", CreatedAt = now };
        db.Hubs.Add(hub);
        await db.SaveChangesAsync();
        var member = new Plaza.Features.Hubs.HubMember { HubId = hub.Id, ActorId = "https://peer.example/users/a", Inbox = "https://peer.example/users/a/inbox", FollowBackId = $"x:{Guid.NewGuid()}", JoinedAt = now };
        var pending = new Plaza.Features.Hubs.HubMember { HubId = hub.Id, ActorId = "https://peer.example/users/b", Inbox = "https://peer.example/users/b/inbox", FollowBackId = $"x:{Guid.NewGuid()}", Pending = true, JoinedAt = now };
        var boost = new Plaza.Features.Promotions.Boost { ShopId = shop.Shop.Id, ObjectId = "https://peer.example/notes/1", AuthorId = "https://peer.example/users/a", AnnounceId = $"x:{Guid.NewGuid()}", BoostedAt = now };
        db.HubMembers.AddRange(member, pending);
        db.Boosts.Add(boost);
        db.Followings.Add(new Plaza.Features.Follows.Following { ShopId = shop.Shop.Id, ActorId = JoinedHub, FollowActivityId = $"x:{Guid.NewGuid()}", Accepted = true, IsHub = true, RequestedAt = now });
        db.Followers.Add(new Plaza.Features.Follows.Follower { ShopId = shop.Shop.Id, ActorId = "https://peer.example/users/c", Inbox = "https://peer.example/users/c/inbox", FollowedAt = now });
        await db.SaveChangesAsync();
        return new[] { member.Id, pending.Id, boost.Id }.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    });

    /// <summary>
    /// The sweep of every console route; run once per store by <see cref="ConsoleSweepOnSqliteTests"/> and
    /// <see cref="ConsoleSweepOnPostgresTests"/>, two classes so the two (each minutes long) run beside each other.
    /// </summary>
    internal static async Task EveryConsoleRouteRefusesAsync(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shopA = await CreateAsync(app);
        var shopB = await CreateAsync(app);
        var orderB = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shopB, Order(shopB)))).GetProperty("id").GetString()!;
        await app.IssueTokenAsync(shopB.Shop, "b-token");
        using var staffA = await ConsoleSession.SignedInAsync(app, "staff-a@example.com", (shopA, ShopRole.Staff));
        using var ownerB = await ConsoleSession.SignedInAsync(app, "owner-b@example.com", (shopB, ShopRole.Owner));
        using var stranger = ConsoleSession.Anonymous(app);
        var bIds = await app.WithDb(null, async db => new[]
        {
            shopB.Bun.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.Categories.IgnoreQueryFilters().FirstAsync(c => c.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.ApiTokens.IgnoreQueryFilters().FirstAsync(t => t.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.Memberships.IgnoreQueryFilters().FirstAsync(m => m.ShopId == shopB.Shop.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await db.Set<Plaza.Features.Catalog.TaxRate>().FirstAsync(r => r.ShopId == shopB.Shop.Id && !r.IsDefault)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await ClosedDayAsync(db, shopB.Shop.Id),
            shopB.Table.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await NamedChannelAsync(db, shopB.Shop.Id),
            await SegmentAsync(db, shopB.Shop.Id),
            orderB,
        });
        bIds = [.. bIds, .. await LinkAsync(app, shopB), await PendingImportAsync(app, shopB.Shop.Id), .. await MemberAndCouponAsync(app, shopB.Shop.Id), .. await ReservationRowsAsync(app, shopB.Shop.Id)];
        using var ownerA = await ConsoleSession.SignedInAsync(app, "owner-a@example.com", (shopA, ShopRole.Owner));
        var tokenA = await staffA.TokenAsync($"/console/{shopA.Slug}/board");
        var ownerTokenA = await ownerA.TokenAsync($"/console/{shopA.Slug}/board");
        var routes = ConsoleRoutes(app);
        Assert.True(routes.Count >= 8, $"Expected the console's routes, found {routes.Count}.");
        Assert.Contains(routes, r => r.OwnerOnly);
        Assert.True(await DistinguishAsync(app, shopA) >= 5, "Shop A should have named rows to tell apart from B's.");
        var forms = await FormsAsync(ownerA, shopA, routes);
        // The pages' own forms are what the handlers get: a sweep that found none would be back to guessing.
        Assert.True(forms.Count >= 20, $"Only {forms.Count} handler forms were read from the console's pages.");
        var beforeB = await StateAsync(app, shopB.Shop.Id);
        var tried = 0;

        foreach (var route in routes)
        {
            foreach (var (method, handler, _) in route.Calls)
            {
                var ids = IdsFor(bIds, forms, route, method, handler);
                // Staff on an owner-only page are refused before the handler whatever the id, so A is compared once per handler.
                var beforeA = route.OwnerOnly ? await StateAsync(app, shopA.Shop.Id) : null;
                foreach (var id in ids)
                {
                    string Url(TestShop shop) => route.Pattern.Replace("{shop}", shop.Slug, StringComparison.Ordinal)
                        .Replace("{id}", id, StringComparison.Ordinal).Replace("{id:guid}", id, StringComparison.Ordinal).Replace("{id:int}", id, StringComparison.Ordinal)
                        .Replace("{id:long}", id, StringComparison.Ordinal) + $"?id={id}" + (handler is null ? "" : $"&handler={handler}");

                    // (a) a stranger
                    var fields = PostFields(forms, route.Pattern, handler, id);
                    var response = await Send(stranger, method, Url(shopB), null, fields);
                    Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect
                        && (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location!.ToString().Contains("/console/sign-in", StringComparison.Ordinal)),
                        $"stranger {method} {Url(shopB)} → {(int)response.StatusCode}");

                    // (b) staff of A naming shop B, and naming shop A with B's ids
                    response = await Send(staffA, method, Url(shopB), tokenA, fields);
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"staff of A {method} {Url(shopB)} → {(int)response.StatusCode}");
                    if (route.OwnerOnly)
                    {
                        // (c) staff on an owner-only page of their own shop: refused before the handler, so A stays as it was.
                        response = await Send(staffA, method, Url(shopA), tokenA, fields);
                        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"staff {method} {Url(shopA)} → {(int)response.StatusCode}");
                    }
                    else
                    {
                        // Staff pages of A with B's ids: whatever the handler does, it cannot reach B (checked below).
                        await Send(staffA, method, Url(shopA), tokenA, fields);
                    }
                    tried++;
                }
                // Checked after each handler, not only at the end: a Retire undone by the Restore after it would hide.
                Assert.True(beforeB == await StateAsync(app, shopB.Shop.Id), $"{method} {route.Pattern} {handler} changed shop B");
                if (beforeA is not null)
                {
                    Assert.True(beforeA == await StateAsync(app, shopA.Shop.Id), $"staff: {method} {route.Pattern} {handler} changed their own shop A");
                }
            }
        }

        // (d) the owner of A on A's own owner pages with B's ids: the handlers run (and may change A, whose
        // ids can equal B's, so this goes last), yet nothing of B changes.
        foreach (var route in routes.Where(r => r.OwnerOnly))
        {
            foreach (var (method, handler, _) in route.Calls.Where(c => c.Method != "GET"))
            {
                foreach (var id in IdsFor(bIds, forms, route, method, handler))
                {
                    var url = route.Pattern.Replace("{shop}", shopA.Slug, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal)
                        .Replace("{id:guid}", id, StringComparison.Ordinal).Replace("{id:int}", id, StringComparison.Ordinal).Replace("{id:long}", id, StringComparison.Ordinal) + $"?id={id}&handler={handler}";
                    await Send(ownerA, method, url, ownerTokenA, PostFields(forms, route.Pattern, handler, id));
                }
                Assert.True(beforeB == await StateAsync(app, shopB.Shop.Id), $"the owner of A: {method} {route.Pattern} {handler} changed shop B");
            }
        }

        Assert.Equal(beforeB, await StateAsync(app, shopB.Shop.Id));
        Assert.True(tried > 50, $"Only {tried} calls were swept.");
        // The owner of B still sees B's console: the refusals above were about who asked, not a broken page.
        Assert.Equal(HttpStatusCode.OK, (await ownerB.Client.GetAsync($"/console/{shopB.Slug}/menu")).StatusCode);
    }

    /// <summary>What the operator's pages could change: reports' answers, blocks, and what a block purges.</summary>
    private static Task<string> NodeStateAsync(PlazaApp app) => app.WithDb(null, async db => string.Join(" | ",
        string.Join(",", await db.Reports.OrderBy(r => r.Id).Select(r => r.Id + ":" + r.Resolution + ":" + r.ResolvedBy).ToListAsync()),
        string.Join(",", await db.BlockedDomains.OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync()),
        string.Join(",", await db.BlockedActors.OrderBy(a => a.ActorId).Select(a => a.ActorId).ToListAsync()),
        string.Join(",", await db.Followers.IgnoreQueryFilters().OrderBy(f => f.Id).Select(f => f.ActorId).ToListAsync())));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Operator_pages_refuse_strangers_and_owners_who_are_not_operators_and_change_nothing(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        await LinkAsync(app, shop);
        const string actor = "https://peer.example/users/c";
        var reportId = await app.WithDb(null, async db =>
        {
            var report = new Plaza.Features.Moderation.Report { Source = Plaza.Features.Moderation.ReportSource.Storefront, ShopSlug = shop.Slug, Comment = "Rude", CreatedAt = DateTime.UtcNow };
            db.Reports.Add(report);
            // Blocks written without their purge, so both an unblock and a (re-)block would show in the state.
            db.BlockedDomains.Add(new Plaza.Features.Moderation.BlockedDomain { Domain = "peer.example", BlockedAt = DateTime.UtcNow });
            db.BlockedActors.Add(new Plaza.Features.Moderation.BlockedActor { ActorId = actor, BlockedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        using var stranger = ConsoleSession.Anonymous(app);
        var token = await owner.TokenAsync($"/console/{shop.Slug}/board");
        var routes = Routes<OperatorOnlyAttribute>(app);
        Assert.Contains(routes, r => r.Pattern == "/console/node/reports");
        Assert.Contains(routes, r => r.Pattern == "/console/node/blocks");
        var before = await NodeStateAsync(app);
        var tried = 0;

        foreach (var route in routes)
        {
            foreach (var (method, handler, _) in route.Calls)
            {
                foreach (var target in new[] { "peer.example", actor, "other.example" })
                {
                    var url = $"{route.Pattern}?id={reportId}&target={Uri.EscapeDataString(target)}" + (handler is null ? "" : $"&handler={handler}");
                    var fields = new Dictionary<string, string> { ["id"] = reportId, ["Target"] = target, ["Reason"] = "taken over" };
                    using var asStranger = method == "GET" ? await stranger.Client.GetAsync(url) : await stranger.PostFormAsync(url, new(fields), null);
                    Assert.True(asStranger.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect
                        && (asStranger.StatusCode != HttpStatusCode.Redirect || asStranger.Headers.Location!.ToString().Contains("/console/sign-in", StringComparison.Ordinal)),
                        $"stranger {method} {url} → {(int)asStranger.StatusCode}");
                    using var asOwner = method == "GET" ? await owner.Client.GetAsync(url) : await owner.PostFormAsync(url, new(fields), token);
                    Assert.True(asOwner.StatusCode == HttpStatusCode.NotFound, $"owner {method} {url} → {(int)asOwner.StatusCode}");
                    Assert.DoesNotContain("Rude", await asOwner.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                    tried++;
                }
            }
        }

        Assert.Equal(before, await NodeStateAsync(app));
        Assert.True(tried >= 18, $"Only {tried} calls were swept.");
        Assert.DoesNotContain("/console/node/", await owner.Client.GetStringAsync($"/console/{shop.Slug}/board"), StringComparison.Ordinal);
        // Granted the role, the same account reads the reports: the refusals were about who asked.
        await app.WithDb(null, db => db.Accounts.Where(a => a.Email == "owner@example.com").ExecuteUpdateAsync(u => u.SetProperty(a => a.IsOperator, true)));
        Assert.Contains("Rude", await owner.Client.GetStringAsync("/console/node/reports"), StringComparison.Ordinal);
        Assert.Contains("/console/node/reports", await owner.Client.GetStringAsync($"/console/{shop.Slug}/board"), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(ConsoleSession session, string method, string url, string? token, Dictionary<string, string> fields)
    {
        if (method != "GET")
        {
            return await session.PostFormAsync(url, new(fields), token);
        }
        // Headers only: an allowed event stream would otherwise never end.
        var response = await session.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.Dispose();
        return response;
    }
}

/// <summary>The console sweep of <see cref="IsolationSweepTests"/> on SQLite.</summary>
[LongRunning]
public sealed class ConsoleSweepOnSqliteTests
{
    [Fact]
    public Task Every_console_route_refuses_strangers_other_shops_staff_and_staff_on_owner_pages() =>
        IsolationSweepTests.EveryConsoleRouteRefusesAsync(Store.Sqlite);
}

/// <summary>The console sweep of <see cref="IsolationSweepTests"/> on PostgreSQL.</summary>
[LongRunning]
public sealed class ConsoleSweepOnPostgresTests
{
    [Fact]
    public Task Every_console_route_refuses_strangers_other_shops_staff_and_staff_on_owner_pages() =>
        IsolationSweepTests.EveryConsoleRouteRefusesAsync(Store.Postgres);
}
