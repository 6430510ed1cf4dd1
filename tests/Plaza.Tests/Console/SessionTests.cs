using System.Net;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>What ends a console session, and how long a guessing address is remembered.</summary>
public sealed class SessionTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Changing_the_password_signs_out_the_other_sessions_and_keeps_this_one(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var board = $"/console/{shop.Slug}/board";
        using var phone = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        using var tablet = ConsoleSession.Anonymous(app);
        Assert.Equal(HttpStatusCode.Redirect, (await tablet.SignInAsync("owner@example.com", ConsoleSession.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tablet.Client.GetAsync(board)).StatusCode);

        var changed = await phone.PostFormAsync("/console/account?handler=Password",
            new() { ["current"] = ConsoleSession.Password, ["next"] = "a much newer secret" }, await phone.TokenAsync("/console/account"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        var refused = await tablet.Client.GetAsync(board);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/console/sign-in", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await phone.Client.GetAsync(board)).StatusCode);
    }

    [Fact]
    public async Task A_guessing_address_starts_again_from_zero_a_day_after_its_last_failure()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, clock, a => a.Settings["Plaza:RateLimits:SignInsPerMinute"] = "1000");
        var shop = await CreateAsync(app);
        (await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner))).Dispose();
        using var guesser = ConsoleSession.From(app, IPAddress.Parse("203.0.113.7"));
        async Task<List<HttpStatusCode>> GuessAsync(int times)
        {
            var statuses = new List<HttpStatusCode>();
            for (var attempt = 0; attempt < times; attempt++)
            {
                statuses.Add((await guesser.SignInAsync("owner@example.com", "guess " + attempt)).StatusCode);
            }
            return statuses;
        }
        var freeThenWait = (List<HttpStatusCode>)[.. Enumerable.Repeat(HttpStatusCode.Unauthorized, SignInThrottle.FreeAttempts), HttpStatusCode.TooManyRequests];
        Assert.Equal(freeThenWait, await GuessAsync(SignInThrottle.FreeAttempts + 1));

        clock.Advance(SignInThrottle.ForgetAfter);

        Assert.Equal(freeThenWait, await GuessAsync(SignInThrottle.FreeAttempts + 1));
        Assert.Equal(SignInThrottle.FirstWait, (await guesser.SignInAsync("owner@example.com", "once more")).Headers.RetryAfter?.Delta);
    }
}
