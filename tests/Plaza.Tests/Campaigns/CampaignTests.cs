using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Campaigns;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// A campaign as the owner makes it on the console: it goes once to the members who agreed to offers, each treated member
/// with a single-use code of their own, and never to the hold-out or to anyone who did not agree; sending it again, from two
/// sweeps at once or after a restart, sends nothing more; a member sent one campaign is left out of the next within the cap;
/// and its results compare the two groups with Welch's interval.
/// </summary>
public sealed class CampaignTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_campaign_reaches_each_treated_member_once_with_their_own_code_and_the_holdout_never_also_across_a_restart(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        var app = await StartAsync(mail, store);
        try
        {
            var shop = await TestShops.CreateAsync(app);
            var (coupon, consenting, refused) = await MembersAndCouponAsync(app, shop, 10);
            using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
            var made = await owner.PostFormAsync($"/console/{shop.Slug}/campaigns", new()
            {
                ["name"] = "Spring",
                ["segment"] = "",
                ["coupon"] = coupon.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["subject"] = "春天来了 Spring is here",
                ["message"] = "A cake on us this week.",
                ["holdout"] = "20",
            }, await owner.TokenAsync($"/console/{shop.Slug}/campaigns"));
            Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);

            // Two sweeps at once (two processes, or a tick and a wake): the campaign is sent by one of them.
            var sender = app.Services.GetRequiredService<CampaignSender>();
            Assert.Equal(1, (await Task.WhenAll(sender.SweepAsync(CancellationToken.None), sender.SweepAsync(CancellationToken.None))).Sum());

            var campaign = await app.WithDb(shop.Shop, db => db.Campaigns.SingleAsync());
            var recipients = await app.WithDb(shop.Shop, db => db.CampaignRecipients.AsNoTracking().ToListAsync());
            var treated = recipients.Where(r => r.Group == CampaignGroup.Treated).Select(r => r.MemberId).Order().ToList();
            var holdout = recipients.Where(r => r.Group == CampaignGroup.Holdout).Select(r => r.MemberId).Order().ToList();
            // 20 % of the 10 who agreed: 2 held out, 8 treated; the 2 who did not agree are in neither group.
            Assert.Equal((8, 2), (treated.Count, holdout.Count));
            Assert.Empty(recipients.Select(r => r.MemberId).Intersect(refused));
            // The draw is the recorded seed's: the same audience and seed give the same groups.
            var (again, heldAgain) = CampaignSender.Draw([.. consenting.Order()], 20, campaign.Seed);
            Assert.Equal(treated, again.Order());
            Assert.Equal(holdout, heldAgain.Order());

            // Each treated member has a single-use code of their own, in their e-mail; the hold-out has none and gets nothing.
            var codes = await app.WithDb(shop.Shop, db => db.CouponCodes.AsNoTracking().Where(c => c.CouponId == coupon).ToListAsync());
            Assert.Equal(treated, codes.Select(c => c.MemberId!.Value).Order().ToList());
            foreach (var member in treated)
            {
                var message = await mail.WaitForAsync(OfferMembers.Email(member));
                Assert.Equal("春天来了 Spring is here", message.Subject);
                Assert.Contains(codes.Single(c => c.MemberId == member).Code, message.TextBody, StringComparison.Ordinal);
                Assert.Contains($"/s/{shop.Slug}/me", message.TextBody, StringComparison.Ordinal);
            }

            // After a restart the sweep finds nothing to send: no second draw, code or e-mail.
            app = await app.RestartAsync();
            Assert.Equal(0, await app.Services.GetRequiredService<CampaignSender>().SweepAsync(CancellationToken.None));
            Assert.Equal(10, await app.WithDb(shop.Shop, db => db.CampaignRecipients.CountAsync()));
            Assert.Equal(8, await app.WithDb(shop.Shop, db => db.CouponCodes.CountAsync(c => c.CouponId == coupon)));
            Assert.Equal(8, await app.WithDb(null, db => db.OutboxMails.CountAsync(m => m.Subject == "春天来了 Spring is here")));
            await Task.Delay(500);
            Assert.Equal(8, mail.Received.Count(m => m.Subject == "春天来了 Spring is here"));
            Assert.DoesNotContain(mail.Received, m => holdout.Concat(refused).Any(id => m.To.ToString().Contains(OfferMembers.Email(id), StringComparison.Ordinal)));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_member_sent_a_campaign_is_left_out_of_the_next_within_the_cap_while_the_holdout_is_not()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await StartAsync(mail, Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        var (coupon, consenting, _) = await MembersAndCouponAsync(app, shop, 6);
        var sender = app.Services.GetRequiredService<CampaignSender>();
        await app.WithDb(shop.Shop, async db =>
        {
            db.Campaigns.Add(Campaign(shop, coupon, "First", holdout: 50));
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await sender.SweepAsync(CancellationToken.None));
        await app.WithDb(shop.Shop, async db =>
        {
            db.Campaigns.Add(Campaign(shop, coupon, "Second", holdout: 0));
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await sender.SweepAsync(CancellationToken.None));

        var recipients = await app.WithDb(shop.Shop, db => db.CampaignRecipients.AsNoTracking().ToListAsync());
        var campaigns = await app.WithDb(shop.Shop, db => db.Campaigns.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        var firstTreated = recipients.Where(r => r.CampaignId == campaigns[0] && r.Group == CampaignGroup.Treated).Select(r => r.MemberId).Order().ToList();
        var firstHeld = recipients.Where(r => r.CampaignId == campaigns[0] && r.Group == CampaignGroup.Holdout).Select(r => r.MemberId).Order().ToList();
        var second = recipients.Where(r => r.CampaignId == campaigns[1]).Select(r => r.MemberId).Order().ToList();
        Assert.Equal((3, 3), (firstTreated.Count, firstHeld.Count));
        // Within 7 days no member is sent two campaigns; those held out of the first were sent nothing and may get the second.
        Assert.Equal(firstHeld, second);
        Assert.Equal(consenting.Order(), firstTreated.Concat(second).Order());
        foreach (var id in consenting)
        {
            await mail.WaitForAsync(OfferMembers.Email(id));
        }
        await Task.Delay(500);
        Assert.All(consenting, id => Assert.Single(mail.Received, m => m.To.ToString().Contains(OfferMembers.Email(id), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_results_compare_revenue_per_member_of_both_groups_with_welchs_interval_and_say_so_plainly()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await StartAsync(mail, Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        var (coupon, _, _) = await MembersAndCouponAsync(app, shop, 7);
        await app.WithDb(shop.Shop, async db =>
        {
            db.Campaigns.Add(Campaign(shop, coupon, "Cake week", holdout: 40));
            return await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<CampaignSender>().SweepAsync(CancellationToken.None);
        var recipients = await app.WithDb(shop.Shop, db => db.CampaignRecipients.AsNoTracking().OrderBy(r => r.MemberId).ToListAsync());
        var treated = recipients.Where(r => r.Group == CampaignGroup.Treated).Select(r => r.MemberId).ToList();
        var holdout = recipients.Where(r => r.Group == CampaignGroup.Holdout).Select(r => r.MemberId).ToList();
        Assert.Equal((4, 3), (treated.Count, holdout.Count));

        // In the week after: the treated spend 3.00, 5.00, 7.00, 9.00 (one order each), the held-out 1.00, 2.00, 3.00; a refused
        // order and one placed before the campaign do not count. Welch, as in MeasuresTests: a lift of 4.00 per member with a
        // 95 % interval from 0.10 to 7.90, so it worked; incremental revenue 4 × 4.00 = 16.00.
        var sentAt = await app.WithDb(shop.Shop, db => db.Campaigns.Select(c => c.SentAt!.Value).SingleAsync());
        await app.WithDb(shop.Shop, async db =>
        {
            var spends = treated.Zip([300L, 500, 700, 900]).Concat(holdout.Zip([100L, 200, 300]));
            foreach (var (member, total) in spends)
            {
                db.Orders.Add(Order(shop, member, total, sentAt.AddHours(1), OrderStatus.Completed));
            }
            db.Orders.Add(Order(shop, holdout[0], 5000, sentAt.AddHours(2), OrderStatus.Rejected));
            db.Orders.Add(Order(shop, holdout[1], 5000, sentAt.AddDays(-1), OrderStatus.Completed));
            return await db.SaveChangesAsync();
        });

        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var campaignId = recipients[0].CampaignId;
        var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/campaigns/{campaignId}?days=7");
        using var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page);
        Assert.StartsWith("It worked", document.QuerySelector("#summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("€4.00 (€0.10 – €7.90)", document.QuerySelector("#lift")!.TextContent);
        var groups = document.QuerySelectorAll("#groups tr").Select(r => string.Join("|", r.Children.Select(c => c.TextContent))).ToList();
        Assert.Contains("Members|4|3", groups);
        Assert.Contains("Revenue per member|€6.00|€2.00", groups);
        Assert.NotNull(document.QuerySelector("#lift-chart svg line.chart-whisker"));
    }

    /// <summary>A node that mails through <paramref name="mail"/> and leaves sweeping to the test.</summary>
    private static Task<PlazaApp> StartAsync(SmtpSink mail, Store store) => PlazaApp.StartAsync(store, configure: a =>
    {
        mail.Configure(a.Settings);
        a.Settings["Plaza:Campaigns:Interval"] = "00:00:00";
    });

    private static Campaign Campaign(TestShop shop, int coupon, string name, int holdout) => new()
    {
        ShopId = shop.Shop.Id,
        Name = name,
        CouponId = coupon,
        Subject = name,
        Message = "Come back",
        HoldoutPercent = holdout,
        SendAt = DateTime.UtcNow,
        Seed = Random.Shared.Next(),
        CreatedAt = DateTime.UtcNow,
    };

    private static Order Order(TestShop shop, long member, long total, DateTime placedAt, OrderStatus status) => new()
    {
        Id = Guid.NewGuid(),
        ShopId = shop.Shop.Id,
        Number = $"C-{Guid.NewGuid():N}"[..12],
        Status = status,
        CustomerName = "Member",
        CustomerPhone = "",
        Currency = "EUR",
        ItemsTotal = total,
        Total = total,
        PlacedAt = placedAt,
        MemberId = member,
    };

    /// <summary>A coupon without a shared code, <paramref name="count"/> members who agreed to offers and two who did not; their ids.</summary>
    private static async Task<(int Coupon, List<long> Consenting, List<long> Refused)> MembersAndCouponAsync(PlazaApp app, TestShop shop, int count) =>
        (await OfferMembers.CouponAsync(app, shop), await OfferMembers.AddAsync(app, shop, count, consent: true, DateTime.UtcNow),
            await OfferMembers.AddAsync(app, shop, 2, consent: false, DateTime.UtcNow));
}
