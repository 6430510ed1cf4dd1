using System.Net.Http.Json;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Features.Moderation;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>A host that fails for long enough is marked unavailable in the store: every process and a restart honour it.</summary>
public sealed class HostAvailabilityTests
{
    private static async Task<PlazaApp> StartAsync(Store store, Action<PlazaApp> configure) =>
        await PlazaApp.StartAsync(store, configure: a =>
        {
            a.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.1";
            a.Settings["Plaza:Federation:MaxRetryDelay"] = "00:00:00.2";
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            a.Settings["Plaza:Federation:MaxAttempts"] = "1000";
            // The in-memory circuit stays out of the way; the durable mark is what is tested.
            a.Settings["Plaza:Federation:CircuitFailureThreshold"] = "100000";
            a.Settings["Plaza:Federation:UnavailableAfter"] = "00:00:01";
            configure(a);
        });

    private static async Task<string> PostAsync(PlazaApp app, string text)
    {
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var created = await Asserts.CreatedAsync(await app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner)).PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text }));
        return created.GetProperty("url").GetString()! + "/activity";
    }

    private static Task<Delivery> DeliveryAsync(PlazaApp app, string activityId) =>
        app.WithDb(null, db => db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(d => d.ActivityId == activityId));

    private static Task<FailingHost?> MarkAsync(PlazaApp app, string host) =>
        app.WithDb(null, db => db.FailingHosts.AsNoTracking().FirstOrDefaultAsync(h => h.Host == host));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_host_failing_for_the_configured_period_is_marked_unavailable_across_a_restart_until_it_sends_a_signed_activity(Store store)
    {
        FakePeer? peer = null;
        var app = await StartAsync(store, a => peer = FakePeer.For(a));
        try
        {
            var dead = peer!.AddActor("dead", host: "dead.example", sharedInbox: false);
            await app.WithDb(null, async db =>
            {
                var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
                db.Followers.Add(new Follower { ShopId = shop.Id, ActorId = dead.Id, Inbox = dead.Inbox, FollowedAt = DateTime.UtcNow });
                return await db.SaveChangesAsync();
            });
            var down = true;
            peer.InboxStatus = r => down && r.Uri.Host == "dead.example" ? HttpStatusCode.BadGateway : HttpStatusCode.Accepted;

            var first = await PostAsync(app, "Open late tonight.");

            await WaitUntilAsync(async () => (await MarkAsync(app, "dead.example"))?.UnavailableSince is not null, "the host is marked unavailable");
            await WaitUntilAsync(async () => (await DeliveryAsync(app, first)).FailedAt is not null, "its queued delivery is given up");
            Assert.Equal(HostHealth.Unavailable, (await DeliveryAsync(app, first)).LastError);
            var output = new StringWriter();
            Assert.Equal(0, await ModerationCommands.RunAsync(app.Services, "hosts", [], output, output));
            Assert.StartsWith("dead.example\tunavailable since ", output.ToString(), StringComparison.Ordinal);

            // A new process on the same database (a restart) knows nothing in memory, and still leaves the host alone.
            app = await app.RestartAsync();
            var attempts = peer.PostsTo(dead.Inbox).Count();
            var second = await PostAsync(app, "Soup of the day: pumpkin.");
            await WaitUntilAsync(async () => (await DeliveryAsync(app, second)).FailedAt is not null, "the new delivery is given up without an attempt");
            Assert.Equal(0, (await DeliveryAsync(app, second)).Attempts);
            Assert.Equal(attempts, peer.PostsTo(dead.Inbox).Count());

            // A delivery given up a day ago is past its retry window (about 200 s with these settings): it stays given up.
            var stale = await app.WithDb(null, async db =>
            {
                var row = await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(d => d.ActivityId == first);
                db.Deliveries.Add(new Delivery
                {
                    ShopId = row.ShopId,
                    ActivityId = row.ActivityId + "-old",
                    Inbox = row.Inbox,
                    Host = row.Host,
                    Payload = row.Payload,
                    CreatedAt = DateTime.UtcNow.AddDays(-1),
                    NextAttemptAt = DateTime.UtcNow.AddDays(-1),
                    FailedAt = DateTime.UtcNow.AddHours(-20),
                    LastError = HostHealth.Unavailable,
                });
                await db.SaveChangesAsync();
                return row.ActivityId + "-old";
            });

            // The host is back and says so with a signed activity: the mark goes, deliveries reach it again, and
            // those given up while it was unavailable are resent.
            down = false;
            using var like = await PostSignedAsync(app.CreateClient(), "/inbox", dead, Like(dead, "http://localhost/actors/demo"));
            Assert.Equal(HttpStatusCode.Accepted, like.StatusCode);
            Assert.Null(await MarkAsync(app, "dead.example"));
            var third = await PostAsync(app, "Cinnamon buns at four.");
            await WaitUntilAsync(async () => (await DeliveryAsync(app, third)).DeliveredAt is not null, "the next post is delivered");
            await WaitUntilAsync(async () => (await DeliveryAsync(app, first)).DeliveredAt is not null && (await DeliveryAsync(app, second)).DeliveredAt is not null,
                "the posts given up while the host was unavailable are resent");
            Assert.Single(peer.PostsTo(dead.Inbox), r => r.Json["id"]!.GetValue<string>() == second);
            var old = await DeliveryAsync(app, stale);
            Assert.Null(old.DeliveredAt);
            Assert.NotNull(old.FailedAt);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unavailable_host_is_cleared_once_a_probe_reaches_it()
    {
        FakePeer? peer = null;
        await using var app = await StartAsync(Store.Sqlite, a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:Federation:ProbeInterval"] = "00:00:00.2";
        });
        var down = true;
        peer!.FetchStatus = uri => down && uri.Host == "dead.example" ? HttpStatusCode.ServiceUnavailable : null;
        await app.WithDb(null, async db =>
        {
            db.FailingHosts.Add(new FailingHost
            {
                Host = "dead.example",
                FailingSince = DateTime.UtcNow.AddDays(-8),
                LastFailureAt = DateTime.UtcNow.AddHours(-1),
                Failures = 40,
                ProbeUrl = "https://dead.example/.well-known/nodeinfo",
                UnavailableSince = DateTime.UtcNow.AddDays(-1),
            });
            return await db.SaveChangesAsync();
        });

        await WaitUntilAsync(() => peer.Fetches.Count(u => u.Host == "dead.example") >= 2, "the host is probed twice");
        Assert.NotNull((await MarkAsync(app, "dead.example"))?.UnavailableSince);

        down = false; // it answers again (a 404 for its NodeInfo is still an answer)
        await WaitUntilAsync(async () => await MarkAsync(app, "dead.example") is null, "a probe clears the mark");
        Assert.Equal("https://dead.example/.well-known/nodeinfo", peer.Fetches.Last(u => u.Host == "dead.example").ToString());
    }
}
