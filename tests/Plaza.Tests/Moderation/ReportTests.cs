using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Moderation;

public sealed class ReportTests
{
    private static async Task<(PlazaApp App, FakePeer Peer)> StartAsync(Store store, Action<PlazaApp>? configure = null)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = FakePeer.For(a);
            configure?.Invoke(a);
        });
        return (app, peer!);
    }

    private static Task<List<Report>> ReportsAsync(PlazaApp app) => app.WithDb(null, db => db.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    private static async Task<HttpResponseMessage> ReportAsync(ConsoleSession customer, string page, string comment, Dictionary<string, string>? extra = null)
    {
        var fields = new Dictionary<string, string>(extra ?? []) { ["Comment"] = comment };
        return await customer.PostFormAsync(page, fields, await customer.TokenAsync(page));
    }

    private static Task<int> KnowShopAsync(PlazaApp app, PeerActor actor, string name = "Remote Bakery", string summary = "Fresh bread") => app.WithDb(null, db =>
    {
        db.KnownShops.Add(new KnownShop
        {
            ActorId = actor.Id,
            Domain = new Uri(actor.Id).Host,
            Name = name,
            Summary = summary,
            StorefrontUrl = $"https://{new Uri(actor.Id).Host}/s/bakery",
            Latitude = 52.52,
            Longitude = 13.405,
            LastSeenAt = DateTime.UtcNow,
        });
        return db.SaveChangesAsync();
    });

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_customer_reports_a_shop_from_its_storefront_and_the_operator_lists_it(Store store)
    {
        var (app, _) = await StartAsync(store);
        await using var __ = app;
        using var customer = ConsoleSession.Anonymous(app);
        Assert.Contains("/s/demo/report", await customer.Client.GetStringAsync("/s/demo"), StringComparison.Ordinal);

        using var empty = await ReportAsync(customer, "/s/demo/report", " ");
        using var sent = await ReportAsync(customer, "/s/demo/report", "Sells \u001b[31mfake\nwatches");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (empty.StatusCode, sent.StatusCode));
        Assert.Contains("report-sent", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var report = Assert.Single(await ReportsAsync(app));
        Assert.Equal((ReportSource.Storefront, "demo", (string?)null), (report.Source, report.ShopSlug, report.ReporterActorId));
        var output = new StringWriter();
        Assert.Equal(0, await ModerationCommands.RunAsync(app.Services, "reports", [], output, output));
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storefront\tdemo\tanonymous\tSells  [31mfake watches", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_from_one_address_are_rate_limited()
    {
        var (app, _) = await StartAsync(Store.Sqlite, a => a.Settings["Plaza:RateLimits:ReportsPerHour"] = "2");
        await using var __ = app;
        using var customer = ConsoleSession.Anonymous(app);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await ReportAsync(customer, "/s/demo/report", $"Report {i}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, (await ReportsAsync(app)).Count);
    }

    private static void TwoReportsAnHour(PlazaApp app) => app.Settings["Plaza:RateLimits:ReportsPerHour"] = "2";

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Reports_from_one_address_are_limited_across_app_processes_sharing_one_database(Store store)
    {
        await using var first = await PlazaApp.StartAsync(store, configure: TwoReportsAnHour);
        await using var second = await PlazaApp.StartAsync(store, configure: a =>
        {
            a.ShareDatabaseWith(first);
            TwoReportsAnHour(a);
        });
        using var viaFirst = ConsoleSession.Anonymous(first);
        using var viaSecond = ConsoleSession.Anonymous(second);

        var statuses = new List<HttpStatusCode>();
        foreach (var customer in new[] { viaFirst, viaSecond, viaFirst, viaSecond })
        {
            using var response = await ReportAsync(customer, "/s/demo/report", $"Report {statuses.Count}");
            statuses.Add(response.StatusCode);
        }

        // Each process alone has seen at most two; together they have seen four.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, (await ReportsAsync(first)).Count);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Concurrent_reports_from_one_address_through_two_app_processes_never_pass_the_limit(Store store)
    {
        await using var first = await PlazaApp.StartAsync(store, configure: TwoReportsAnHour);
        await using var second = await PlazaApp.StartAsync(store, configure: a =>
        {
            a.ShareDatabaseWith(first);
            TwoReportsAnHour(a);
        });
        using var viaFirst = ConsoleSession.Anonymous(first);
        using var viaSecond = ConsoleSession.Anonymous(second);
        const string page = "/s/demo/report";
        (ConsoleSession Session, string Token)[] forms = [(viaFirst, await viaFirst.TokenAsync(page)), (viaSecond, await viaSecond.TokenAsync(page))];

        // Ten posts at once, alternating between the processes: the forms were fetched first, so only the posts race.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(n =>
            forms[n % 2].Session.PostFormAsync(page, new Dictionary<string, string> { ["Comment"] = $"Report {n}" }, forms[n % 2].Token)));

        // Racing attempts may all be refused (each counts the others'), but never more than two get through.
        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(admitted, 0, 2);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.NotNull(r.Headers.RetryAfter);
        });
        Assert.Equal(admitted, (await ReportsAsync(first)).Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// A node retrying quickly, whose nearby list knows a bakery on a node that is down (its actor
    /// answers 503 until the test sets the peer's FetchStatus again), and a customer's report of it.
    /// </summary>
    private static async Task<(PlazaApp App, FakePeer Peer, PeerActor Bakery, HttpResponseMessage Sent)> ReportWhileItsNodeIsDownAsync(Store store, Action<PlazaApp>? configure = null)
    {
        var (app, peer) = await StartAsync(store, a =>
        {
            a.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.2";
            a.Settings["Plaza:Federation:MaxRetryDelay"] = "00:00:00.4";
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            configure?.Invoke(a);
        });
        var bakery = peer.AddActor("bakery");
        await KnowShopAsync(app, bakery);
        peer.FetchStatus = uri => uri.Host == FakePeer.Host ? HttpStatusCode.ServiceUnavailable : null;
        using var customer = ConsoleSession.Anonymous(app);
        var page = "/nearby/report?actor=" + Uri.EscapeDataString(bakery.Id);
        return (app, peer, bakery, await ReportAsync(customer, page, "Never delivers", new() { ["Actor"] = bakery.Id }));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_report_of_a_shop_whose_node_is_down_is_sent_as_a_Flag_once_its_actor_can_be_fetched(Store store)
    {
        var (app, peer, bakery, sent) = await ReportWhileItsNodeIsDownAsync(store);
        await using var __ = app;
        using var ___ = sent;

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var confirmation = await sent.Content.ReadAsStringAsync();
        Assert.Contains("report-waiting", confirmation, StringComparison.Ordinal);
        Assert.Contains("cannot be reached right now", confirmation, StringComparison.Ordinal);
        Assert.DoesNotContain("report-sent", confirmation, StringComparison.Ordinal);
        Assert.DoesNotContain("and sent to the server", confirmation, StringComparison.Ordinal);
        var waiting = Assert.Single(await ReportsAsync(app));
        Assert.Null(waiting.ForwardedActivityId);
        Assert.NotNull(waiting.ForwardRetryAt);
        await WaitUntilAsync(() => peer.Fetches.Count(u => u.ToString() == bakery.Id) >= 2, "the actor is tried again");
        Assert.Empty(peer.PostsTo(bakery.SharedInbox!));

        peer.FetchStatus = _ => null;
        await WaitUntilAsync(() => peer.PostsTo(bakery.SharedInbox!).Any(), "the Flag reaches the shop's node once its actor resolves");
        var flag = peer.PostsTo(bakery.SharedInbox!).Single().Json;
        Assert.Equal(("Flag", bakery.Id, "Never delivers"), (flag["type"]!.GetValue<string>(), flag["object"]![0]!.GetValue<string>(), flag["content"]!.GetValue<string>()));
        var report = Assert.Single(await ReportsAsync(app));
        Assert.Equal(flag["id"]!.GetValue<string>(), report.ForwardedActivityId);
        Assert.Null(report.ForwardRetryAt);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_Flag_whose_shop_never_resolves_is_given_up_after_MaxAttempts(Store store)
    {
        var (app, peer, bakery, sent) = await ReportWhileItsNodeIsDownAsync(store, a => a.Settings["Plaza:Federation:MaxAttempts"] = "3");
        await using var __ = app;
        using var ___ = sent;

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        await WaitUntilAsync(async () => (await ReportsAsync(app)).Single().ForwardRetryAt is null, "the Flag is given up");

        var report = Assert.Single(await ReportsAsync(app));
        Assert.Equal(3, report.ForwardAttempts);
        Assert.Null(report.ForwardedActivityId);
        // Back up, the shop's node hears nothing: the report is no longer due.
        peer.FetchStatus = _ => null;
        Assert.Equal(0, await app.Services.GetServices<IHostedService>().OfType<PendingFlags>().Single().ForwardDueAsync(CancellationToken.None));
        await WaitUntilSettledAsync(app);
        Assert.Empty(peer.PostsTo(bakery.SharedInbox!));
    }

    [Theory]
    [InlineData(false, "谢谢。您的举报已留给本服务器的管理者，并已发送到该店铺所在的服务器。")]
    [InlineData(true, "该店铺所在的服务器暂时无法连接")]
    public async Task The_report_confirmation_says_in_Chinese_whether_it_was_sent_or_waits(bool down, string expected)
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var __ = app;
        var bakery = peer.AddActor("bakery");
        await KnowShopAsync(app, bakery);
        peer.FetchStatus = uri => down && uri.Host == FakePeer.Host ? HttpStatusCode.ServiceUnavailable : null;
        using var customer = ConsoleSession.Anonymous(app);
        customer.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var page = "/nearby/report?actor=" + Uri.EscapeDataString(bakery.Id);

        using var sent = await ReportAsync(customer, page, "从不送货", new() { ["Actor"] = bakery.Id });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains(expected, await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Reporting_a_remote_shop_sends_its_node_a_Flag_signed_by_the_instance_actor(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var __ = app;
        var bakery = peer.AddActor("bakery");
        await KnowShopAsync(app, bakery);
        using var customer = ConsoleSession.Anonymous(app);
        var nearby = await customer.Client.GetStringAsync("/nearby?lat=52.52&lon=13.405&all=true");
        Assert.Contains("/nearby/report?actor=" + Uri.EscapeDataString(bakery.Id), nearby.Replace("&amp;", "&", StringComparison.Ordinal), StringComparison.Ordinal);
        var page = "/nearby/report?actor=" + Uri.EscapeDataString(bakery.Id);

        using var sent = await ReportAsync(customer, page, "Never delivers", new() { ["Actor"] = bakery.Id });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var confirmation = await sent.Content.ReadAsStringAsync();
        Assert.Contains("report-sent", confirmation, StringComparison.Ordinal);
        Assert.Contains("and sent to the server the shop is on", confirmation, StringComparison.Ordinal);
        Assert.DoesNotContain("report-waiting", confirmation, StringComparison.Ordinal);
        await WaitUntilAsync(() => peer.PostsTo(bakery.SharedInbox!).Any(), "the Flag reaches the shop's node");
        var flag = peer.PostsTo(bakery.SharedInbox!).Single();
        Assert.Equal("Flag", flag.Json["type"]!.GetValue<string>());
        Assert.Equal("http://localhost/actor", flag.Json["actor"]!.GetValue<string>());
        Assert.Equal(bakery.Id, flag.Json["object"]![0]!.GetValue<string>());
        Assert.Equal("Never delivers", flag.Json["content"]!.GetValue<string>());
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), flag, "http://localhost/actor");
        var report = Assert.Single(await ReportsAsync(app));
        Assert.Equal((ReportSource.Nearby, bakery.Id, flag.Json["id"]!.GetValue<string>()), (report.Source, report.ActorId, report.ForwardedActivityId));

        using var unknown = await customer.PostFormAsync("/nearby/report", new() { ["Actor"] = "https://peer.example/users/nobody", ["Comment"] = "x" }, await customer.TokenAsync(page));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_Flag_from_another_server_about_a_shop_here_is_kept_for_the_operator(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var __ = app;
        var moderator = peer.AddActor("moderator");
        var flag = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = moderator.Id + "/flags/1",
            ["type"] = "Flag",
            ["actor"] = moderator.Id,
            ["content"] = "<p>Sells <b>fakes</b><script>alert(1)</script></p>",
            ["object"] = new JsonArray("http://localhost/actors/demo", "https://elsewhere.example/users/x"),
        };

        using var response = await PostSignedAsync(app.CreateClient(), "/inbox", moderator, flag);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitUntilAsync(async () => (await ReportsAsync(app)).Count > 0, "the Flag becomes a report");
        var report = Assert.Single(await ReportsAsync(app));
        Assert.Equal((ReportSource.Flag, "demo", moderator.Id), (report.Source, report.ShopSlug, report.ReporterActorId));
        Assert.Equal("Sells fakes alert(1)", report.Comment);
    }

    [Fact]
    public async Task A_script_in_a_remote_shops_name_or_summary_is_shown_as_inert_text()
    {
        var (app, peer) = await StartAsync(Store.Sqlite);
        await using var __ = app;
        var evil = peer.AddActor("evil");
        // Stored raw, as if parsing let it through: the pages must still show it as text.
        await KnowShopAsync(app, evil, name: "<script>alert('name')</script>Evil", summary: "<img src=x onerror=alert('summary')>");
        using var visitor = ConsoleSession.Anonymous(app);

        var nearby = await visitor.Client.GetStringAsync("/nearby?lat=52.52&lon=13.405&all=true");
        var report = await visitor.Client.GetStringAsync("/nearby/report?actor=" + Uri.EscapeDataString(evil.Id));

        foreach (var html in new[] { nearby, report })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;Evil", html, StringComparison.Ordinal);
        }
        Assert.Contains("&lt;img src=x onerror=alert(&#x27;summary&#x27;)&gt;", nearby, StringComparison.Ordinal);

        // And what the directory learns from an actor document is reduced to plain text before it is stored.
        peer.Describe(evil, new JsonObject
        {
            ["type"] = "Organization",
            ["name"] = "<b>Evil</b><script>alert(1)</script>",
            ["summary"] = "<p>Hi<img src=x onerror=alert(2)></p>",
            ["url"] = "https://peer.example/s/evil",
            ["location"] = new JsonObject { ["type"] = "Place", ["latitude"] = 52.52, ["longitude"] = 13.405 },
        });
        var (scope, _) = app.Db();
        using (scope)
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ShopDirectory>().LearnAsync(evil.Id, KnownShopSource.Followed, CancellationToken.None));
        }
        var learned = await app.WithDb(null, db => db.KnownShops.SingleAsync(s => s.ActorId == evil.Id));
        Assert.Equal(("Evil alert(1)", "Hi"), (learned.Name, learned.Summary));
    }
}
