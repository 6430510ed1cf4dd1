using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Campaigns;
using Plaza.Features.Console;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Campaigns.OfferMembers;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// Journeys as an owner sets them up and a member meets them: a welcome greets those who join after it is switched on,
/// once, whatever number of sweeps run at once or restarts come; birthdays and win-backs fire on the shop's own date, from
/// the shop's send hour, across both daylight-saving changes; each member enters once per window (a year, a lapse); the
/// hold-out gets nothing.
/// </summary>
public sealed class JourneyTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_welcome_greets_each_member_who_joins_after_it_is_switched_on_once_and_never_the_holdout(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        var app = await StartAsync(mail, store);
        try
        {
            var shop = await CreateAsync(app);
            var coupon = await CouponAsync(app, shop);
            var before = await AddAsync(app, shop, 1, consent: true, joinedAt: DateTime.UtcNow.AddDays(-3));
            using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
            var token = await owner.TokenAsync($"/console/{shop.Slug}/journeys");
            Dictionary<string, string> Form(string holdout) => new()
            {
                ["kind"] = "Welcome",
                ["on"] = "true",
                ["coupon"] = coupon.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["subject"] = "欢迎！Welcome",
                ["message"] = "Thank you for joining.",
                ["holdout"] = holdout,
            };
            // A hold-out beyond half is refused and nothing is saved.
            Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/console/{shop.Slug}/journeys", Form("80"), token)).StatusCode);
            Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Journeys.CountAsync()));
            Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/console/{shop.Slug}/journeys", Form("30"), token)).StatusCode);

            var joined = await AddAsync(app, shop, 12, consent: true, joinedAt: DateTime.UtcNow.AddSeconds(1));
            var refused = await AddAsync(app, shop, 2, consent: false, joinedAt: DateTime.UtcNow.AddSeconds(1));
            var runner = app.Services.GetRequiredService<JourneyRunner>();
            // Two sweeps at once (two processes, or two ticks): the twelve enter once between them.
            Assert.Equal(12, (await Task.WhenAll(runner.SweepAsync(CancellationToken.None), runner.SweepAsync(CancellationToken.None))).Sum());

            var journey = await app.WithDb(shop.Shop, db => db.Journeys.AsNoTracking().SingleAsync());
            var entries = await app.WithDb(shop.Shop, db => db.JourneyEntries.AsNoTracking().ToListAsync());
            Assert.Equal(joined.Order(), entries.Select(e => e.MemberId).Order());
            var held = entries.Where(e => e.Group == CampaignGroup.Holdout).Select(e => e.MemberId).Order().ToList();
            var treated = entries.Where(e => e.Group == CampaignGroup.Treated).Select(e => e.MemberId).Order().ToList();
            // The draw is the journey's, member's and window's alone, so it can be checked.
            Assert.Equal(joined.Where(m => JourneyRunner.IsHeldOut(journey, m, 0)).Order(), held);
            Assert.NotEmpty(treated);
            var codes = await app.WithDb(shop.Shop, db => db.CouponCodes.AsNoTracking().Where(c => c.CouponId == coupon).ToListAsync());
            Assert.Equal(treated, codes.Select(c => c.MemberId!.Value).Order());
            foreach (var member in treated)
            {
                var message = await mail.WaitForAsync(Email(member));
                Assert.Equal("欢迎！Welcome", message.Subject);
                Assert.Contains(codes.Single(c => c.MemberId == member).Code, message.TextBody, StringComparison.Ordinal);
            }
            var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/journeys");
            using var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page);
            var row = document.QuerySelector("tr[data-journey=welcome]")!.Children.Select(c => c.TextContent).ToList();
            Assert.Equal(["Welcome", "Switched on", "12", treated.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), held.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "0"], row.Take(6));

            // After a restart the sweep finds no one new: no second entry, code or e-mail.
            app = await app.RestartAsync();
            Assert.Equal(0, await app.Services.GetRequiredService<JourneyRunner>().SweepAsync(CancellationToken.None));
            Assert.Equal(12, await app.WithDb(shop.Shop, db => db.JourneyEntries.CountAsync()));
            Assert.Equal(treated.Count, await app.WithDb(null, db => db.OutboxMails.CountAsync(m => m.Subject == "欢迎！Welcome")));
            await Task.Delay(500);
            // The member who joined before it was on, the hold-out and those who did not agree to offers get nothing.
            Assert.Equal(treated.Count, mail.Received.Count(m => m.Subject == "欢迎！Welcome"));
            Assert.DoesNotContain(mail.Received, m => before.Concat(held).Concat(refused).Any(id => m.To.ToString().Contains(Email(id), StringComparison.Ordinal)));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Birthdays_and_win_backs_fire_on_the_shops_own_day_from_its_send_hour_across_daylight_saving_changes(Store store)
    {
        // Berlin: clocks go forward at 02:00 on 29 March 2026 (UTC+1 → UTC+2) and back at 03:00 on 25 October.
        var clock = new TestClock(new DateTimeOffset(2026, 2, 28, 9, 5, 0, TimeSpan.Zero));
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await StartAsync(mail, store, clock);
        var shop = await CreateAsync(app, s => s.TimeZone = "Europe/Berlin");
        var coupon = await CouponAsync(app, shop);
        var ids = await AddAsync(app, shop, 5, consent: true, joinedAt: DateTime.UtcNow);
        var (leapling, spring, eve, autumn, lapsed) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
        var silent = (await AddAsync(app, shop, 1, consent: false, joinedAt: DateTime.UtcNow))[0];
        await app.WithDb(shop.Shop, async db =>
        {
            foreach (var (id, month, day) in new[] { (leapling, 2, 29), (spring, 3, 29), (eve, 3, 28), (autumn, 10, 25), (silent, 3, 29) })
            {
                await db.Members.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.BirthMonth, month).SetProperty(m => m.BirthDay, day));
            }
            // The lapsed member's last order: 23:30 UTC on 28 January, already 29 January in Berlin. 59 of the shop's days later
            // is 29 March, the day the clocks change; counted in UTC it would be the 28th.
            db.Customers.Add(new Customer { ShopId = shop.Shop.Id, MemberId = lapsed, Orders = 1, Spend = 900, FirstOrderAt = new DateTime(2026, 1, 28, 23, 30, 0, DateTimeKind.Utc), LastOrderAt = new DateTime(2026, 1, 28, 23, 30, 0, DateTimeKind.Utc) });
            foreach (var kind in new[] { JourneyKind.Birthday, JourneyKind.WinBack })
            {
                db.Journeys.Add(new Journey { ShopId = shop.Shop.Id, Kind = kind, OnSince = DateTime.UtcNow, CouponId = coupon, Subject = kind.ToString(), Message = "Hello", Days = 59, HoldoutPercent = 0 });
            }
            return await db.SaveChangesAsync();
        });
        var runner = app.Services.GetRequiredService<JourneyRunner>();
        async Task<List<long>> SweepAt(int month, int day, int hour, int minute)
        {
            clock.Set(new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.Zero));
            await runner.SweepAsync(CancellationToken.None);
            return await app.WithDb(shop.Shop, db => db.JourneyEntries.AsNoTracking().OrderBy(e => e.MemberId).Select(e => e.MemberId).ToListAsync());
        }

        // 28 February 2026, 10:05 in Berlin: no 29th this year, so the leapling's birthday is today.
        Assert.Equal([leapling], await SweepAt(2, 28, 9, 5));
        // 28 March, 10:05 (UTC+1): the eve's birthday; the win-back is not due yet (58 of the shop's days).
        Assert.Equal([leapling, eve], await SweepAt(3, 28, 9, 5));
        // 29 March, 09:30 summer time (07:30 UTC): before the send hour (with the winter offset it would be 08:30).
        Assert.Equal([leapling, eve], await SweepAt(3, 29, 7, 30));
        // 29 March, 10:15 summer time (08:15 UTC; a fixed winter offset would say 09:15, too early): the spring birthday
        // and the win-back; the member who did not agree to offers shares the birthday and gets nothing.
        Assert.Equal([leapling, spring, eve, lapsed], await SweepAt(3, 29, 8, 15));
        // Later that day and the next: nothing again, each is in once for this window.
        Assert.Equal(4, (await SweepAt(3, 29, 20, 0)).Count);
        Assert.Equal(4, (await SweepAt(3, 30, 9, 0)).Count);
        // 25 October, 09:30 winter time (08:30 UTC; the summer offset would say 10:30): too early; at 10:05 (09:05 UTC) it fires.
        Assert.Equal(4, (await SweepAt(10, 25, 8, 30)).Count);
        Assert.Equal([leapling, spring, eve, autumn, lapsed], await SweepAt(10, 25, 9, 5));

        var entries = await app.WithDb(shop.Shop, db => db.JourneyEntries.AsNoTracking().ToListAsync());
        Assert.Equal(20260329, entries.Single(e => e.MemberId == spring).Day);
        Assert.Equal(2026, entries.Single(e => e.MemberId == spring).Window);
        // The win-back's window is the lapse: the shop's date of the order it followed.
        Assert.Equal(20260129, entries.Single(e => e.MemberId == lapsed).Window);
        foreach (var id in new[] { leapling, eve, spring, lapsed, autumn })
        {
            await mail.WaitForAsync(Email(id));
        }
        Assert.DoesNotContain(mail.Received, m => m.To.ToString().Contains(Email(silent), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_enters_a_win_back_once_per_lapse_and_a_birthday_once_a_year()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await StartAsync(mail, Store.Sqlite, clock);
        var shop = await CreateAsync(app, s => s.TimeZone = "Asia/Shanghai");
        var coupon = await CouponAsync(app, shop);
        var member = (await AddAsync(app, shop, 1, consent: true, joinedAt: DateTime.UtcNow))[0];
        await app.WithDb(shop.Shop, async db =>
        {
            await db.Members.Where(m => m.Id == member).ExecuteUpdateAsync(s => s.SetProperty(m => m.BirthMonth, 6).SetProperty(m => m.BirthDay, 1));
            db.Customers.Add(new Customer { ShopId = shop.Shop.Id, MemberId = member, Orders = 1, Spend = 500, FirstOrderAt = new DateTime(2026, 3, 1, 4, 0, 0, DateTimeKind.Utc), LastOrderAt = new DateTime(2026, 3, 1, 4, 0, 0, DateTimeKind.Utc) });
            foreach (var kind in new[] { JourneyKind.Birthday, JourneyKind.WinBack })
            {
                db.Journeys.Add(new Journey { ShopId = shop.Shop.Id, Kind = kind, OnSince = DateTime.UtcNow, CouponId = coupon, Subject = kind.ToString(), Message = "Hello", Days = 60, HoldoutPercent = 0 });
            }
            return await db.SaveChangesAsync();
        });
        var runner = app.Services.GetRequiredService<JourneyRunner>();
        async Task<List<string>> SweepAt(DateTimeOffset at)
        {
            clock.Set(at);
            await runner.SweepAsync(CancellationToken.None);
            var entries = await app.WithDb(shop.Shop, db => db.JourneyEntries.AsNoTracking()
                .Join(db.Journeys, e => e.JourneyId, j => j.Id, (e, j) => new { j.Kind, e.Window }).ToListAsync());
            return [.. entries.Select(e => $"{e.Kind}:{e.Window}").Order()];
        }

        // 1 June 17:00 in Shanghai: birthday, and 92 days since the order of 1 March.
        Assert.Equal(["Birthday:2026", "WinBack:20260301"], await SweepAt(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero)));
        Assert.Equal(2, (await SweepAt(new DateTimeOffset(2026, 7, 15, 9, 0, 0, TimeSpan.Zero))).Count);
        // The member came back on 20 July and lapsed again: a new window, entered 60 days on, not before.
        await app.WithDb(shop.Shop, db => db.Customers.Where(c => c.MemberId == member)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastOrderAt, new DateTime(2026, 7, 20, 4, 0, 0, DateTimeKind.Utc)).SetProperty(c => c.Orders, 2)));
        Assert.Equal(2, (await SweepAt(new DateTimeOffset(2026, 9, 17, 9, 0, 0, TimeSpan.Zero))).Count);
        Assert.Equal(["Birthday:2026", "WinBack:20260301", "WinBack:20260720"], await SweepAt(new DateTimeOffset(2026, 9, 18, 9, 0, 0, TimeSpan.Zero)));
        // A year on: the birthday again (the win-back's lapse is the same, so not that).
        Assert.Equal(["Birthday:2026", "Birthday:2027", "WinBack:20260301", "WinBack:20260720"], await SweepAt(new DateTimeOffset(2027, 6, 1, 9, 0, 0, TimeSpan.Zero)));
    }

    private static Task<PlazaApp> StartAsync(SmtpSink mail, Store store, TimeProvider? clock = null) => PlazaApp.StartAsync(store, clock, a =>
    {
        mail.Configure(a.Settings);
        a.Settings["Plaza:Journeys:Interval"] = "00:00:00";
    });
}
