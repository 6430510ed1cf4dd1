using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>
/// Most tests share a node (<see cref="SharedNodes"/>), each with shops and accounts of its own; those
/// about sign-in throttling and rate limits start their own (their own limits, clock and address counts).
/// </summary>
public sealed class ConsoleSecurityTests(SharedNodes nodes) : IClassFixture<SharedNodes>
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress OwnersPhone = IPAddress.Parse("198.51.100.20");

    [Fact]
    public async Task Twenty_wrong_passwords_from_one_address_do_not_keep_the_owner_out_from_another()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:RateLimits:SignInsPerMinute"] = "1000");
        var shop = await CreateAsync(app);
        (await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner))).Dispose();
        using var attacker = ConsoleSession.From(app, Attacker);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            statuses.Add((await attacker.SignInAsync("owner@example.com", "guess " + attempt)).StatusCode);
        }
        using var owner = ConsoleSession.From(app, OwnersPhone);
        var signedIn = await owner.SignInAsync("owner@example.com", ConsoleSession.Password);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, SignInThrottle.FreeAttempts), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 20 - SignInThrottle.FreeAttempts)], statuses);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);
        // The attacker's address is not even asked about the right password while it waits.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.SignInAsync("owner@example.com", ConsoleSession.Password)).StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_from_one_address_wait_longer_after_each_failure()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock, a => a.Settings["Plaza:RateLimits:SignInsPerMinute"] = "1000");
        var shop = await CreateAsync(app);
        (await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner))).Dispose();
        using var guesser = ConsoleSession.From(app, Attacker);
        for (var attempt = 1; attempt <= SignInThrottle.FreeAttempts; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync("owner@example.com", "guess " + attempt)).StatusCode);
        }

        var waiting = await guesser.SignInAsync("owner@example.com", "one more");
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), waiting.Headers.RetryAfter?.Delta);
        Assert.Contains("Try again in 1 min", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync("owner@example.com", "one more")).StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(2), (await guesser.SignInAsync("owner@example.com", "and another")).Headers.RetryAfter?.Delta);
        clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.SignInAsync("owner@example.com", ConsoleSession.Password)).StatusCode);
        // The right password starts this address again from zero.
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.SignInAsync("owner@example.com", "a typo")).StatusCode);
    }

    [Fact]
    public async Task A_blank_invitation_token_is_not_found_not_a_server_error()
    {
        // Found by the fuzzer in Faults/FuzzTests.
        var app = await nodes.GetAsync(Store.Sqlite);
        using var client = ConsoleSession.Anonymous(app);

        Assert.Equal(HttpStatusCode.NotFound, (await client.Client.GetAsync("/console/join/%20")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_rate_limited()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:RateLimits:SignInsPerMinute"] = "3");
        using var client = ConsoleSession.Anonymous(app);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            statuses.Add((await client.SignInAsync($"nobody{attempt}@example.com", "wrong password")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_console_form_posted_without_its_anti_forgery_token_changes_nothing()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var staff = await ConsoleSession.SignedInAsync(app, ConsoleSession.NewEmail("staff"), (shop, ShopRole.Staff));
        var url = $"/console/{shop.Slug}/stock?handler=Toggle&id={shop.Cake.Id}";
        var fields = new Dictionary<string, string> { ["soldOut"] = "true" };

        var forged = await staff.PostFormAsync(url, new(fields), token: null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await SoldOutAsync(app, shop.Cake.Id));

        var genuine = await staff.PostFormAsync(url, new(fields), await staff.TokenAsync($"/console/{shop.Slug}/stock"));
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.True(await SoldOutAsync(app, shop.Cake.Id));
    }

    private static Task<bool> SoldOutAsync(PlazaApp app, int itemId) =>
        app.WithDb(null, db => db.Items.IgnoreQueryFilters().Where(i => i.Id == itemId).Select(i => i.SoldOut).SingleAsync());

    [Fact]
    public async Task A_revoked_api_token_stops_working_at_once()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var email = ConsoleSession.NewEmail();
        using var owner = await ConsoleSession.SignedInAsync(app, email, (shop, ShopRole.Owner));
        var tokensPage = $"/console/{shop.Slug}/tokens";

        var created = await owner.PostFormAsync(tokensPage + "?handler=Create", new() { ["name"] = "till" }, await owner.TokenAsync(tokensPage));
        var html = await created.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-token\">(plz_[^<]+)<").Groups[1].Value;
        Assert.StartsWith("plz_", token, StringComparison.Ordinal);
        var stored = await app.WithDb(null, db => db.ApiTokens.IgnoreQueryFilters().SingleAsync(t => t.ShopId == shop.Shop.Id && t.Name == "till"));
        Assert.DoesNotContain(token, stored.TokenHash, StringComparison.Ordinal); // only the hash is kept

        var id = (await Asserts.CreatedAsync(await PlaceAsync(app.CreateClient(), shop, Order(shop)))).GetProperty("id").GetGuid();
        var api = app.StaffClient(token);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "accepted" })).StatusCode);

        var revoked = await owner.PostFormAsync($"{tokensPage}?handler=Revoke&id={stored.Id}", [], await owner.TokenAsync(tokensPage));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        var refused = await api.PostAsJsonAsync($"/api/v1/shops/{shop.Slug}/orders/{id}/status", new { status = "preparing" });
        await Asserts.ProblemAsync(refused, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_the_other_sessions_too()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var email = ConsoleSession.NewEmail();
        using var phone = await ConsoleSession.SignedInAsync(app, email, (shop, ShopRole.Owner));
        using var tablet = ConsoleSession.Anonymous(app);
        await tablet.SignInAsync(email, ConsoleSession.Password);
        Assert.Equal(HttpStatusCode.OK, (await tablet.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);

        await phone.PostFormAsync("/console/account?handler=Everywhere", [], await phone.TokenAsync("/console/account"));

        Assert.Equal(HttpStatusCode.Redirect, (await tablet.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);
    }

    [Fact]
    public async Task A_changed_password_works_and_the_old_one_does_not()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var email = ConsoleSession.NewEmail();
        using var owner = await ConsoleSession.SignedInAsync(app, email, (shop, ShopRole.Owner));

        var changed = await owner.PostFormAsync("/console/account?handler=Password",
            new() { ["current"] = ConsoleSession.Password, ["next"] = "a much newer secret" }, await owner.TokenAsync("/console/account"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);

        using var other = ConsoleSession.Anonymous(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.SignInAsync(email, ConsoleSession.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(email, "a much newer secret")).StatusCode);
    }

    [Fact]
    public async Task One_person_sees_each_of_their_shops_and_only_those()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var cafe = await CreateAsync(app);
        var sideline = await CreateAsync(app, s => s.Name = "Weekend bakery");
        var stranger = await CreateAsync(app, s => s.Name = "Someone else's shop");
        var email = ConsoleSession.NewEmail();
        using var owner = await ConsoleSession.SignedInAsync(app, email, (cafe, ShopRole.Owner), (sideline, ShopRole.Staff));

        var html = await owner.Client.GetStringAsync("/console");

        Assert.Contains($"/console/{cafe.Slug}/board", html, StringComparison.Ordinal);
        Assert.Contains($"/console/{sideline.Slug}/board", html, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger.Slug, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/console/{cafe.Slug}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync($"/console/{sideline.Slug}/settings")).StatusCode);
    }

    [Fact]
    public async Task An_invited_person_joins_as_staff_with_a_one_time_link()
    {
        var app = await nodes.GetAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        var email = ConsoleSession.NewEmail();
        using var owner = await ConsoleSession.SignedInAsync(app, email, (shop, ShopRole.Owner));
        var staffPage = $"/console/{shop.Slug}/staff";
        var invited = await owner.PostFormAsync(staffPage + "?handler=Invite", new() { ["role"] = "Staff" }, await owner.TokenAsync(staffPage));
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(await invited.Content.ReadAsStringAsync(), "id=\"invite-link\">([^<]+)<").Groups[1].Value);

        using var newcomer = ConsoleSession.Anonymous(app);
        var joined = await newcomer.PostFormAsync(link.PathAndQuery,
            new() { ["Name"] = "Ana", ["Email"] = ConsoleSession.NewEmail("ana"), ["Password"] = "ana's long password" }, await newcomer.TokenAsync(link.PathAndQuery));

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.Client.GetAsync($"/console/{shop.Slug}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await newcomer.Client.GetAsync($"/console/{shop.Slug}/menu")).StatusCode);
        using var second = ConsoleSession.Anonymous(app);
        Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync(link.PathAndQuery)).StatusCode); // used up
    }
}
