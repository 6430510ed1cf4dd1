using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text;
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

public sealed class DeliveryTests
{
    private static async Task<(PlazaApp App, FakePeer Peer, HttpClient Staff)> StartAsync(
        Store store, bool fastRetries = false, TimeProvider? clock = null, Action<PlazaApp>? configure = null)
    {
        FakePeer? peer = null;
        var app = await PlazaApp.StartAsync(store, clock, a =>
        {
            peer = FakePeer.For(a);
            if (fastRetries)
            {
                a.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.2";
                a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            }
            configure?.Invoke(a);
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        return (app, peer!, app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner)));
    }

    private static Task<int> AddFollowersAsync(PlazaApp app, params FakePeer.PeerActor[] followers) => app.WithDb(null, async db =>
    {
        var shop = await db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug);
        foreach (var f in followers)
        {
            db.Followers.Add(new Follower { ShopId = shop.Id, ActorId = f.Id, Inbox = f.Inbox, SharedInbox = f.SharedInbox, FollowedAt = DateTime.UtcNow });
        }
        return await db.SaveChangesAsync();
    });

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_promotion_reaches_each_followers_server_once_as_a_signed_Create_Note(Store store)
    {
        var (app, peer, staff) = await StartAsync(store);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        var bob = peer.AddActor("bob");
        var carol = peer.AddActor("carol", host: "small.example", sharedInbox: false);
        await AddFollowersAsync(app, alice, bob, carol);

        using var response = await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Two cinnamon buns for one today!\n\nOnly until 3 pm.", link = "http://localhost/s/demo" });

        var created = await Asserts.CreatedAsync(response);
        var noteUrl = created.GetProperty("url").GetString()!;
        Assert.Equal(2, created.GetProperty("deliveries").GetProperty("pending").GetInt32());
        await WaitUntilAsync(() => peer.PostsTo("https://peer.example/inbox").Any() && peer.PostsTo(carol.Inbox).Any(), "both servers receive the post");
        var delivered = peer.PostsTo("https://peer.example/inbox").Single(); // alice and bob share one server
        Assert.Empty(peer.PostsTo(alice.Inbox));
        Assert.Equal("Create", delivered.Json["type"]!.GetValue<string>());
        var note = delivered.Json["object"]!;
        Assert.Equal("Note", note["type"]!.GetValue<string>());
        Assert.Equal(noteUrl, note["id"]!.GetValue<string>());
        Assert.Contains("Two cinnamon buns for one today!", note["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("https://www.w3.org/ns/activitystreams#Public", note["to"]!.ToJsonString(), StringComparison.Ordinal);
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), delivered);

        // The Note can be fetched where its id says, and the outbox lists it.
        var fetched = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), new Uri(noteUrl).PathAndQuery);
        Assert.Equal(noteUrl, fetched.GetProperty("id").GetString());
        var outbox = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actors/demo/outbox?page=1");
        Assert.Equal(noteUrl, outbox.GetProperty("orderedItems")[0].GetProperty("object").GetProperty("id").GetString());
        // A page far past the end is empty, not an offset that overflows (PostgreSQL refused the negative one with a 503).
        var far = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actors/demo/outbox?page=1590548548");
        Assert.Equal(0, far.GetProperty("orderedItems").GetArrayLength());
        await WaitUntilAsync(async () =>
        {
            var list = await (await staff.GetAsync("/api/v1/shops/demo/promotions")).JsonAsync();
            return list[0].GetProperty("deliveries").GetProperty("delivered").GetInt32() == 2;
        }, "the owner sees both deliveries done");
    }

    [Fact]
    public async Task A_promotion_taken_down_is_deleted_on_followers_servers_and_its_note_is_gone()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var alice = peer.AddActor("alice");
        await AddFollowersAsync(app, alice);
        var created = await Asserts.CreatedAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Happy hour 5–7 pm." }));
        var id = created.GetProperty("id").GetInt64();
        var noteUrl = created.GetProperty("url").GetString()!;
        await WaitUntilAsync(() => peer.PostsTo(alice.SharedInbox!).Any(), "the post is delivered");

        using var deleted = await staff.DeleteAsync($"/api/v1/shops/demo/promotions/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await WaitUntilAsync(() => peer.PostsTo(alice.SharedInbox!).Count() == 2, "the Delete is delivered");
        var delete = peer.PostsTo(alice.SharedInbox!).Last().Json;
        Assert.Equal("Delete", delete["type"]!.GetValue<string>());
        Assert.Equal(noteUrl, delete["object"]!["id"]!.GetValue<string>());
        Assert.Equal("Tombstone", delete["object"]!["type"]!.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(noteUrl).PathAndQuery);
        request.Headers.Accept.ParseAdd("application/activity+json");
        await Asserts.ProblemAsync(await app.CreateClient().SendAsync(request), HttpStatusCode.Gone, "gone");
        var outbox = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actors/demo/outbox");
        Assert.Equal(0, outbox.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task Nothing_is_delivered_to_a_domain_blocked_after_its_follow()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var friend = peer.AddActor("friend", host: "friendly.example", sharedInbox: false);
        var spammer = peer.AddActor("spammer", host: "spam.example", sharedInbox: false);
        await AddFollowersAsync(app, friend, spammer);
        await app.WithDb(null, async db =>
        {
            db.BlockedDomains.Add(new BlockedDomain { Domain = "spam.example", BlockedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        await Asserts.CreatedAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Lunch menu is up." }));

        await WaitUntilAsync(() => DeliveryAsync(app, spammer.Inbox).ContinueWith(t => t.Result.FailedAt is not null), "the blocked delivery is given up");
        await WaitUntilAsync(() => peer.PostsTo(friend.Inbox).Any(), "the friend gets the post");
        Assert.Empty(peer.PostsTo(spammer.Inbox));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task One_shops_followers_never_see_another_shops_posts_or_lists(Store store)
    {
        var (app, peer, staff) = await StartAsync(store);
        await using var _ = app;
        var other = await TestShops.CreateAsync(app);
        var otherStaff = app.StaffClient(await app.IssueTokenAsync(other.Shop, scope: TokenScope.Owner));
        var demoFan = peer.AddActor("demofan", host: "demo-fans.example", sharedInbox: false);
        var otherFan = peer.AddActor("otherfan", host: "other-fans.example", sharedInbox: false);
        await AddFollowersAsync(app, demoFan);
        await app.WithDb(null, async db =>
        {
            db.Followers.Add(new Follower { ShopId = other.Shop.Id, ActorId = otherFan.Id, Inbox = otherFan.Inbox, FollowedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        await Asserts.CreatedAsync(await otherStaff.PostAsJsonAsync($"/api/v1/shops/{other.Slug}/promotions", new { text = "Only for our own followers." }));

        await WaitUntilAsync(() => peer.PostsTo(otherFan.Inbox).Any(), "the other shop's follower gets its post");
        Assert.Empty(peer.PostsTo(demoFan.Inbox));
        var demoFollowers = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actors/demo/followers?page=1");
        Assert.Equal([demoFan.Id], demoFollowers.GetProperty("orderedItems").EnumerateArray().Select(i => i.GetString()));
        Assert.Empty((await (await staff.GetAsync("/api/v1/shops/demo/promotions")).JsonAsync()).EnumerateArray());
        // A staff token of one shop cannot post as another.
        await Asserts.ProblemAsync(await otherStaff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Hijack" }), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_promotion_without_text_is_refused_and_only_staff_may_post()
    {
        var (app, _, staff) = await StartAsync(Store.Sqlite);
        await using var __ = app;

        var problem = await Asserts.ProblemAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "  ", link = "javascript:alert(1)" }),
            HttpStatusCode.BadRequest, "invalid-request");
        Asserts.HasFieldError(problem, "text");
        Asserts.HasFieldError(problem, "link");
        await Asserts.ProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Hi" }),
            HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, await app.WithDb(null, db => db.Promotions.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync()));
    }

    [Fact]
    public async Task A_delivery_is_retried_after_a_server_error_and_given_up_on_410_Gone()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite, fastRetries: true);
        await using var _ = app;
        var flaky = peer.AddActor("flaky", host: "flaky.example", sharedInbox: false);
        var gone = peer.AddActor("gone", host: "gone.example", sharedInbox: false);
        await AddFollowersAsync(app, flaky, gone);
        var failures = 0;
        peer.InboxStatus = r => r.Uri.Host switch
        {
            "gone.example" => HttpStatusCode.Gone,
            _ when Interlocked.Increment(ref failures) <= 2 => HttpStatusCode.ServiceUnavailable,
            _ => HttpStatusCode.Accepted,
        };

        await Asserts.CreatedAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Soup of the day: pumpkin." }));

        await WaitUntilAsync(() => DeliveryAsync(app, flaky.Inbox).ContinueWith(t => t.Result.DeliveredAt is not null), "the flaky server gets the post in the end");
        var flakyRow = await DeliveryAsync(app, flaky.Inbox);
        Assert.Equal(3, flakyRow.Attempts);
        Assert.Equal(3, peer.PostsTo(flaky.Inbox).Count());
        var goneRow = await DeliveryAsync(app, gone.Inbox);
        Assert.NotNull(goneRow.FailedAt);
        Assert.Equal(410, goneRow.LastStatus);
        Assert.Single(peer.PostsTo(gone.Inbox)); // never asked again
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_delivery_to_a_peer_that_keeps_answering_503_is_given_up_after_MaxAttempts(Store store)
    {
        var (app, peer, owner) = await StartAsync(store, fastRetries: true, configure: a => a.Settings["Plaza:Federation:MaxAttempts"] = "3");
        await using var _ = app;
        var down = peer.AddActor("down", host: "down.example", sharedInbox: false);
        await AddFollowersAsync(app, down);
        peer.InboxStatus = _ => HttpStatusCode.ServiceUnavailable;

        await Asserts.CreatedAsync(await owner.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Soup of the day: pumpkin." }));
        await WaitUntilSettledAsync(app);

        var row = await DeliveryAsync(app, down.Inbox);
        Assert.NotNull(row.FailedAt);
        Assert.Equal((3, 503), (row.Attempts, row.LastStatus));
        Assert.Equal(3, peer.PostsTo(down.Inbox).Count());
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_peers_Retry_After_in_seconds_or_as_a_date_sets_the_next_attempt(Store store)
    {
        var start = DateTimeOffset.Parse("2026-12-02T12:00:00Z", CultureInfo.InvariantCulture);
        var clock = new TestClock(start);
        var (app, peer, owner) = await StartAsync(store, fastRetries: true, clock: clock);
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
        await WaitUntilAsync(async () => (await DeliveryAsync(app, inSeconds.Inbox)).Attempts == 1 && (await DeliveryAsync(app, byDate.Inbox)).Attempts == 1, "both peers refused the first attempt");

        Assert.Equal(start.AddHours(1).UtcDateTime, (await DeliveryAsync(app, inSeconds.Inbox)).NextAttemptAt);
        Assert.Equal(start.AddHours(2).UtcDateTime, (await DeliveryAsync(app, byDate.Inbox)).NextAttemptAt);

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => (await DeliveryAsync(app, inSeconds.Inbox)).DeliveredAt is not null, "the peer that asked for an hour gets it an hour later");
        Assert.Single(peer.PostsTo(byDate.Inbox)); // its two hours are not over

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => (await DeliveryAsync(app, byDate.Inbox)).DeliveredAt is not null, "the peer that named a time gets it then");
        Assert.Equal(2, peer.PostsTo(byDate.Inbox).Count());
    }

    [Fact]
    public async Task A_failing_server_is_left_alone_once_its_circuit_opens()
    {
        FakePeer? peer = null;
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:Federation:FirstRetryDelay"] = "00:00:00.1";
            a.Settings["Plaza:Federation:PollInterval"] = "00:00:00.1";
            a.Settings["Plaza:Federation:CircuitFailureThreshold"] = "3";
            a.Settings["Plaza:Federation:CircuitOpenFor"] = "01:00:00";
        });
        var demo = await app.WithDb(null, db => db.Shops.SingleAsync(s => s.Slug == DemoShop.Slug));
        var staff = app.StaffClient(await app.IssueTokenAsync(demo, scope: TokenScope.Owner));
        var dead = peer!.AddActor("dead", host: "dead.example", sharedInbox: false);
        await AddFollowersAsync(app, dead);
        peer.InboxStatus = _ => HttpStatusCode.BadGateway;

        await Asserts.CreatedAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "Open late tonight." }));

        await WaitUntilAsync(() => peer.PostsTo(dead.Inbox).Count() >= 3, "three attempts fail");
        // The worker's next pass finds the circuit open and moves the row to when it closes, without an attempt.
        await WaitUntilAsync(() => DeliveryAsync(app, dead.Inbox).ContinueWith(t => t.Result.NextAttemptAt > DateTime.UtcNow.AddMinutes(50)),
            "the delivery is held back until the circuit closes");
        Assert.Equal(3, peer.PostsTo(dead.Inbox).Count());
        var row = await DeliveryAsync(app, dead.Inbox);
        Assert.Null(row.FailedAt); // held back, not given up
    }

    [Fact]
    public async Task A_peer_refusing_draft_cavage_with_401_gets_the_delivery_signed_with_RFC_9421()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var modern = peer.AddActor("modern", host: "modern.example", sharedInbox: false);
        await AddFollowersAsync(app, modern);
        peer.InboxStatus = r => r.Header("Signature-Input") is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Accepted;

        await Asserts.CreatedAsync(await staff.PostAsJsonAsync("/api/v1/shops/demo/promotions", new { text = "New: oat flat white." }));

        await WaitUntilAsync(() => DeliveryAsync(app, modern.Inbox).ContinueWith(t => t.Result.DeliveredAt is not null), "the post is delivered");
        var attempts = peer.PostsTo(modern.Inbox).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Null(attempts[0].Header("Signature-Input")); // cavage first
        Assert.NotNull(attempts[1].Header("Signature-Input"));
        Assert.Null(attempts[1].Header("Digest")); // never both formats in one request
        await FederationAsserts.SignedByShopAsync(app.CreateClient(), attempts[1]);
    }

    [Fact]
    public async Task A_shop_follows_a_remote_account_and_sees_the_follow_accepted()
    {
        var (app, peer, staff) = await StartAsync(Store.Sqlite);
        await using var _ = app;
        var roaster = peer.AddActor("roaster");

        using var response = await staff.PostAsJsonAsync("/api/v1/shops/demo/following", new { account = "roaster@peer.example" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var followId = (await response.JsonAsync()).GetProperty("followId").GetString()!;
        await WaitUntilAsync(() => peer.PostsTo(roaster.Inbox).Any(), "the Follow reaches the roaster");
        var follow = peer.PostsTo(roaster.Inbox).Single();
        Assert.Equal("Follow", follow.Json["type"]!.GetValue<string>());
        Assert.Equal(roaster.Id, follow.Json["object"]!.GetValue<string>());

        var accept = new System.Text.Json.Nodes.JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = roaster.Id + "/accepts/1",
            ["type"] = "Accept",
            ["actor"] = roaster.Id,
            ["object"] = System.Text.Json.Nodes.JsonNode.Parse(follow.Json.ToJsonString()),
        };
        Assert.Equal(HttpStatusCode.Accepted, (await PostSignedAsync(app.CreateClient(), "/actors/demo/inbox", roaster, accept)).StatusCode);
        await WaitUntilAsync(async () => (await (await staff.GetAsync("/api/v1/shops/demo/following")).JsonAsync())[0].GetProperty("accepted").GetBoolean(),
            "the follow shows as accepted");
        var following = await FederationAsserts.GetActivityJsonAsync(app.CreateClient(), "/actors/demo/following?page=1");
        Assert.Equal(roaster.Id, following.GetProperty("orderedItems")[0].GetString());
        Assert.StartsWith("http://localhost/actors/demo/", followId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outgoing_connections_to_loopback_are_refused_unless_the_host_is_allowed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref accepted);
                await socket.ReceiveAsync(new byte[4096]);
                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
            }
        });

        using var guarded = new HttpClient(FederationHttp.CreateHandler(new FederationOptions()));
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => guarded.GetAsync($"http://127.0.0.1:{port}/users/x"));
        Assert.IsType<RemoteFetchRefusedException>(refused.InnerException);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => guarded.GetAsync($"http://localhost:{port}/users/x"));
        Assert.Equal(0, accepted);

        using var allowed = new HttpClient(FederationHttp.CreateHandler(new FederationOptions { AllowedPrivateHosts = ["127.0.0.1"] }));
        Assert.Equal("ok", await allowed.GetStringAsync($"http://127.0.0.1:{port}/users/x"));
        Assert.Equal(1, accepted);
        Assert.False(FederationHttp.IsPublic(IPAddress.Parse("10.1.2.3")));
        Assert.False(FederationHttp.IsPublic(IPAddress.Parse("169.254.169.254"))); // cloud metadata
        Assert.False(FederationHttp.IsPublic(IPAddress.Parse("::ffff:192.168.1.1")));
        Assert.False(FederationHttp.IsPublic(IPAddress.Parse("fd00::1")));
        Assert.True(FederationHttp.IsPublic(IPAddress.Parse("93.184.215.14")));
    }

    [Fact]
    public async Task A_remote_document_over_1_MiB_is_refused()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[FederationHttp.MaxBodyBytes + 1]) };
        response.Content.Headers.ContentLength = null;
        await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => FederationHttp.ReadLimitedAsync(response, CancellationToken.None));
    }

    private static Task<Delivery> DeliveryAsync(PlazaApp app, string inbox) =>
        app.WithDb(null, db => db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(d => d.Inbox == inbox));
}
