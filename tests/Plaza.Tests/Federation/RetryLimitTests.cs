using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Federation.FakePeer;

namespace Plaza.Tests.Federation;

/// <summary>How long a delivery to a failing peer is tried: at most Plaza:Federation:MaxAttempts times, and never before the peer's Retry-After.</summary>
public sealed class RetryLimitTests
{
    private static async Task<(PlazaApp App, FakePeer Peer, HttpClient Owner)> StartAsync(Store store, TimeProvider? clock, Action<PlazaApp> configure)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, clock, a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.1";
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            configure(a);
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        return (app, peer!, app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner)));
    }

    private static Task<int> AddFollowersAsync(PlazaApp app, params PeerActor[] followers) => app.WithDb(null, async db =>
    {
        var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
        foreach (var f in followers)
        {
            db.Followers.Add(new Follower { ShopId = shop.Id, ActorId = f.Id, Inbox = f.Inbox, SharedInbox = f.SharedInbox, FollowedAt = DateTime.UtcNow });
        }
        return await db.SaveChangesAsync();
    });

    private static Task<Delivery> DeliveryAsync(PlazaApp app, PeerActor to) =>
        app.WithDb(null, db => db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(d => d.Inbox == to.Inbox));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_delivery_to_a_peer_that_keeps_answering_503_is_given_up_after_MaxAttempts(Store store)
    {
        var (app, peer, owner) = await StartAsync(store, null, a => a.Settings["Plaza:Federation:MaxAttempts"] = "3");
        await using var _ = app;
        var down = peer.AddActor("down", host: "down.example", sharedInbox: false);
        await AddFollowersAsync(app, down);
        peer.InboxStatus = _ => HttpStatusCode.ServiceUnavailable;

        await Asserts.CreatedAsync(await owner.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Soup of the day: pumpkin." }));
        await WaitUntilSettledAsync(app);

        var row = await DeliveryAsync(app, down);
        Assert.NotNull(row.FailedAt);
        Assert.Equal((3, 503), (row.Attempts, row.LastStatus));
        Assert.Equal(3, peer.PostsTo(down.Inbox).Count());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_peers_Retry_After_in_seconds_or_as_a_date_sets_the_next_attempt(Store store)
    {
        var start = DateTimeOffset.Parse("2026-12-02T12:00:00Z", CultureInfo.InvariantCulture);
        var clock = new TestClock(start);
        var (app, peer, owner) = await StartAsync(store, clock, _ => { });
        await using var __ = app;
        var inSeconds = peer.AddActor("busy", host: "seconds.example", sharedInbox: false);
        var byDate = peer.AddActor("busy", host: "date.example", sharedInbox: false);
        await AddFollowersAsync(app, inSeconds, byDate);
        var refusedOnce = new HashSet<string>();
        peer.InboxStatus = r =>
        {
            lock (refusedOnce)
            {
                return refusedOnce.Add(r.Uri.Host) ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.Accepted;
            }
        };
        peer.InboxAnswer = (r, answer) =>
        {
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                answer.Headers.RetryAfter = r.Uri.Host == "seconds.example"
                    ? new RetryConditionHeaderValue(TimeSpan.FromHours(1))
                    : new RetryConditionHeaderValue(start.AddHours(2));
            }
        };

        await Asserts.CreatedAsync(await owner.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Open late tonight." }));
        await WaitUntilAsync(async () => (await DeliveryAsync(app, inSeconds)).Attempts == 1 && (await DeliveryAsync(app, byDate)).Attempts == 1, "both peers refused the first attempt");

        Assert.Equal(start.AddHours(1).UtcDateTime, (await DeliveryAsync(app, inSeconds)).NextAttemptAt);
        Assert.Equal(start.AddHours(2).UtcDateTime, (await DeliveryAsync(app, byDate)).NextAttemptAt);

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => (await DeliveryAsync(app, inSeconds)).DeliveredAt is not null, "the peer that asked for an hour gets it an hour later");
        Assert.Single(peer.PostsTo(byDate.Inbox)); // its two hours are not over

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => (await DeliveryAsync(app, byDate)).DeliveredAt is not null, "the peer that named a time gets it then");
        Assert.Equal(2, peer.PostsTo(byDate.Inbox).Count());
    }
}
