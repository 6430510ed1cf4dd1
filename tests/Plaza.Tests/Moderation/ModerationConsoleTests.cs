using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Catalog;
using Plaza.Features.Moderation;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Moderation;

/// <summary>The node operator's console pages: reports and blocks, for accounts granted the operator role from the shell.</summary>
public sealed class ModerationConsoleTests
{
    private const string ShopActor = "http://localhost/actors/demo";

    private static async Task<(PlazaApp App, FakePeer Peer)> StartAsync(Store store)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = For(a);
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
        });
        return (app, peer!);
    }

    private static async Task<(int Exit, string Output)> RunAsync(PlazaApp app, string command, params string[] args)
    {
        var output = new StringWriter();
        var exit = await ModerationCommands.RunAsync(app.Services, command, args, output, output);
        return (exit, output.ToString());
    }

    /// <summary>An account with no shop, made an operator by the shell command, signed in.</summary>
    private static async Task<ConsoleSession> OperatorAsync(PlazaApp app, string email = "op@example.com")
    {
        var session = await ConsoleSession.SignedInAsync(app, email);
        Assert.Equal(0, (await RunAsync(app, "grant-operator", email)).Exit);
        return session;
    }

    private static async Task<HttpResponseMessage> PostAsync(ConsoleSession session, string page, string handler, Dictionary<string, string> fields) =>
        await session.PostFormAsync($"{page}?handler={handler}", fields, await session.TokenAsync(page));

    private static Task<List<Report>> ReportsAsync(PlazaApp app) => app.WithDb(null, db => db.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_operator_sees_a_local_report_and_an_incoming_Flag_newest_first_as_text_and_resolves_them(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        using var customer = ConsoleSession.Anonymous(app);
        using var local = await customer.PostFormAsync("/s/demo/report", new() { ["Comment"] = "Cold coffee" }, await customer.TokenAsync("/s/demo/report"));
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        var moderator = peer.AddActor("moderator", host: "mod.example");
        var flag = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = moderator.Id + "/flags/1",
            ["type"] = "Flag",
            ["actor"] = moderator.Id,
            // Markup as text (entities) and as tags: the first must show as text, the second not at all.
            ["content"] = "<p>Fakes &lt;img src=x onerror=alert(1)&gt;<script>alert(2)</script></p>",
            ["object"] = new JsonArray(ShopActor),
        };
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", moderator, flag)).StatusCode);
        await WaitUntilAsync(async () => (await ReportsAsync(app)).Count == 2, "the Flag becomes a report");
        using var op = await OperatorAsync(app);

        var page = await new HtmlParser().ParseDocumentAsync(await op.Client.GetStringAsync("/console/node/reports"));

        var items = page.QuerySelectorAll("#reports li.report");
        Assert.Equal(2, items.Length);
        var (flagged, storefront) = (items[0], items[1]);
        Assert.Contains("mod.example", flagged.TextContent, StringComparison.Ordinal);
        Assert.Contains("demo", flagged.QuerySelector(".report-head strong")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("<img src=x onerror=alert(1)>", flagged.QuerySelector(".report-comment")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("#reports img, #reports script"));
        Assert.Contains("Cold coffee", storefront.TextContent, StringComparison.Ordinal);
        Assert.Contains("anonymous customer", storefront.TextContent, StringComparison.Ordinal);
        var reports = await ReportsAsync(app);
        var flagId = reports.Single(r => r.Source == ReportSource.Flag).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var localId = reports.Single(r => r.Source == ReportSource.Storefront).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Without the anti-forgery token nothing is recorded.
        using var forged = await op.PostFormAsync("/console/node/reports?handler=Resolve", new() { ["id"] = flagId }, null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.All(await ReportsAsync(app), r => Assert.Null(r.Resolution));

        var token = await op.TokenAsync("/console/node/reports");
        using var resolved = await op.PostFormAsync("/console/node/reports?handler=Resolve", new() { ["id"] = flagId }, token);
        using var dismissed = await op.PostFormAsync("/console/node/reports?handler=Dismiss", new() { ["id"] = localId }, token);
        using var again = await op.PostFormAsync("/console/node/reports?handler=Dismiss", new() { ["id"] = flagId }, token);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.NotFound), (resolved.StatusCode, dismissed.StatusCode, again.StatusCode));
        reports = await ReportsAsync(app);
        var answered = reports.Single(r => r.Source == ReportSource.Flag);
        Assert.Equal((ReportResolution.Resolved, "op@example.com"), (answered.Resolution, answered.ResolvedBy));
        Assert.NotNull(answered.ResolvedAt);
        Assert.Equal(ReportResolution.Dismissed, reports.Single(r => r.Source == ReportSource.Storefront).Resolution);
        page = await new HtmlParser().ParseDocumentAsync(await op.Client.GetStringAsync("/console/node/reports"));
        Assert.Contains("op@example.com", page.QuerySelector("#reports li.report .resolution")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("#reports li.report.open"));
        Assert.Contains("Resolved by op@example.com", (await RunAsync(app, "reports")).Output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task An_operator_blocks_a_domain_on_the_page_and_its_follower_is_purged_as_by_the_command(Store store)
    {
        var (app, peer) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice", host: "bad.example");
        var carol = peer.AddActor("carol", host: "good.example");
        foreach (var actor in new[] { alice, carol })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/inbox", actor, Follow(actor, ShopActor))).StatusCode);
        }
        await WaitUntilAsync(() => app.WithDb(null, db => db.Followers.IgnoreQueryFilters().CountAsync()).ContinueWith(t => t.Result == 2), "both follows are processed");
        using var op = await OperatorAsync(app);

        using var invalid = await PostAsync(op, "/console/node/blocks", "Domain", new() { ["Target"] = "not a domain!" });
        using var blocked = await PostAsync(op, "/console/node/blocks", "Domain", new() { ["Target"] = "Bad.Example", ["Reason"] = "spam" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Redirect), (invalid.StatusCode, blocked.StatusCode));
        var followers = await app.WithDb(null, db => db.Followers.IgnoreQueryFilters().Select(f => f.ActorId).ToListAsync());
        Assert.Equal([carol.Id], followers);
        Assert.False(await app.WithDb(null, db => db.InboxActivities.AnyAsync(a => a.ActorId == alice.Id)));
        var (_, listed) = await RunAsync(app, "blocks");
        Assert.Contains("domain\tbad.example", listed, StringComparison.Ordinal);
        Assert.Contains("spam", listed, StringComparison.Ordinal);
        var page = await new HtmlParser().ParseDocumentAsync(await op.Client.GetStringAsync("/console/node/blocks"));
        Assert.Contains("bad.example", page.QuerySelector("#blocks")!.TextContent, StringComparison.Ordinal);
        using var refused = await PostSignedAsync(app.CreateClient(), "/inbox", alice, Follow(alice, ShopActor));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var actorBlocked = await PostAsync(op, "/console/node/blocks", "Actor", new() { ["Target"] = carol.Id });
        Assert.Equal(HttpStatusCode.Redirect, actorBlocked.StatusCode);
        Assert.Empty(await app.WithDb(null, db => db.Followers.IgnoreQueryFilters().ToListAsync()));

        using var unblocked = await PostAsync(op, "/console/node/blocks", "UnblockDomain", new() { ["target"] = "bad.example" });
        using var unblockedActor = await PostAsync(op, "/console/node/blocks", "UnblockActor", new() { ["target"] = carol.Id });
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (unblocked.StatusCode, unblockedActor.StatusCode));
        Assert.Equal("", (await RunAsync(app, "blocks")).Output);
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Grant_and_revoke_operator_turn_the_node_pages_on_and_off_for_an_account(Store store)
    {
        var (app, _) = await StartAsync(store);
        await using var __ = app;
        using var session = await ConsoleSession.SignedInAsync(app, "someone@example.com");
        Assert.False(await app.WithDb(null, db => db.Accounts.Where(a => a.Email == DemoShop.OwnerEmail).Select(a => a.IsOperator).SingleAsync()));
        using var before = await session.Client.GetAsync("/console/node/reports");

        var granted = await RunAsync(app, "grant-operator", " SomeOne@Example.com ");
        using var during = await session.Client.GetAsync("/console/node/blocks");
        var revoked = await RunAsync(app, "revoke-operator", "someone@example.com");
        using var after = await session.Client.GetAsync("/console/node/reports");
        var unknown = await RunAsync(app, "grant-operator", "nobody@example.com");
        var usage = await RunAsync(app, "grant-operator");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.NotFound), (before.StatusCode, during.StatusCode, after.StatusCode));
        Assert.Equal((0, 0, 1, 2), (granted.Exit, revoked.Exit, unknown.Exit, usage.Exit));
        Assert.Contains("someone@example.com is an operator", granted.Output, StringComparison.Ordinal);
        Assert.Contains("no longer an operator", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("no console account nobody@example.com", unknown.Output, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDb(null, db => db.Accounts.CountAsync(a => a.IsOperator)));
    }
}
