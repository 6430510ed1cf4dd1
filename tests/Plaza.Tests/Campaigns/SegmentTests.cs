using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Campaigns;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Campaigns.OfferMembers;

namespace Plaza.Tests.Campaigns;

/// <summary>
/// An owner's own segments: each rule picks the members it should (days since the last order in the shop's days, orders
/// and spend in a window, tier, first channel, consent), the size is counted as the rules are typed (full-width digits
/// too), rules that cannot be read get a problem detail and save nothing, and a campaign for a saved segment reaches
/// exactly its members who can be mailed.
/// </summary>
public sealed class SegmentTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Each_rule_picks_its_members_the_size_is_live_and_a_campaign_for_the_segment_reaches_only_them(Store store)
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            mail.Configure(a.Settings);
            a.Settings["Plaza:Campaigns:Interval"] = "00:00:00";
        });
        var shop = await TestShops.CreateAsync(app, s => s.TimeZone = "Asia/Shanghai");
        var coupon = await CouponAsync(app, shop);
        var agreed = await AddAsync(app, shop, 4, consent: true, DateTime.UtcNow.AddDays(-200));
        var refused = await AddAsync(app, shop, 1, consent: false, DateTime.UtcNow.AddDays(-200));
        var (lapsed, regular, never, noAddress, quiet) = (agreed[0], agreed[1], agreed[2], agreed[3], refused[0]);
        var flyer = 0;
        await app.WithDb(shop.Shop, async db =>
        {
            var channel = new Plaza.Features.Channels.Channel { ShopId = shop.Shop.Id, Kind = Plaza.Features.Channels.ChannelKind.Named, Code = "flyer", Name = "Flyer", CreatedAt = DateTime.UtcNow };
            db.Channels.Add(channel);
            db.Tiers.Add(new Plaza.Features.Loyalty.Tier { ShopId = shop.Shop.Id, Name = "Gold", Measure = Plaza.Features.Loyalty.TierMeasure.Orders, Threshold = 3, WindowDays = 365 });
            await db.Members.Where(m => m.Id == noAddress).ExecuteUpdateAsync(s => s.SetProperty(m => m.Email, (string?)null));
            await db.SaveChangesAsync();
            flyer = channel.Id;
            // lapsed: one order 40 days ago, through the flyer; regular: three in the last 10 days (30.00 in all);
            // quiet (no consent): one 100 days ago; no-address: one 35 days ago; never: none.
            var orders = new (long Member, int DaysAgo, long Total, int? Channel)[]
            {
                (lapsed, 40, 800, flyer), (regular, 10, 1000, null), (regular, 5, 1000, null), (regular, 2, 1000, null), (quiet, 100, 500, null), (noAddress, 35, 700, null),
            };
            foreach (var group in orders.GroupBy(o => o.Member))
            {
                var customer = new Customer
                {
                    ShopId = shop.Shop.Id,
                    MemberId = group.Key,
                    Orders = group.Count(),
                    Spend = group.Sum(o => o.Total),
                    FirstOrderAt = DateTime.UtcNow.AddDays(-group.Max(o => o.DaysAgo)),
                    LastOrderAt = DateTime.UtcNow.AddDays(-group.Min(o => o.DaysAgo)),
                    FirstChannelId = group.First().Channel,
                };
                db.Customers.Add(customer);
                await db.SaveChangesAsync();
                foreach (var o in group)
                {
                    db.Orders.Add(new Order
                    {
                        Id = Guid.NewGuid(),
                        ShopId = shop.Shop.Id,
                        Number = $"S-{Guid.NewGuid():N}"[..12],
                        Status = OrderStatus.Completed,
                        CustomerName = "Member",
                        CustomerPhone = "",
                        Currency = "EUR",
                        ItemsTotal = o.Total,
                        Total = o.Total,
                        PlacedAt = DateTime.UtcNow.AddDays(-o.DaysAgo),
                        MemberId = o.Member,
                        CustomerId = customer.Id,
                    });
                }
            }
            return await db.SaveChangesAsync();
        });
        var tier = await app.WithDb(shop.Shop, db => db.Tiers.Select(t => t.Id).SingleAsync());

        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        async Task<(int Members, int Reachable)> Size(string query)
        {
            var response = await owner.Client.GetAsync($"/console/{shop.Slug}/segments?handler=size&{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (json.RootElement.GetProperty("members").GetInt32(), json.RootElement.GetProperty("reachable").GetInt32());
        }
        // Last order 30 days ago or more: lapsed, quiet and no-address (never ordered has no last order); only lapsed can be mailed.
        Assert.Equal((3, 1), await Size("minDays=30"));
        Assert.Equal((3, 1), await Size("minDays=%EF%BC%93%EF%BC%90")); // "３０" typed full-width
        Assert.Equal((1, 1), await Size("maxDays=14"));
        Assert.Equal((1, 1), await Size("minOrders=2&window=30"));
        Assert.Equal((3, 2), await Size("minOrders=1&window=60")); // lapsed, regular, no-address (quiet's order is 100 days old)
        Assert.Equal((1, 1), await Size($"minSpend={Uri.EscapeDataString("２０．００")}"));
        Assert.Equal((1, 1), await Size($"tier={tier}"));
        Assert.Equal((1, 1), await Size($"channel={flyer}"));
        Assert.Equal((1, 0), await Size("consent=NotAgreed"));
        Assert.Equal((5, 3), await Size(""));

        // Rules that cannot be read: a problem detail naming the field, and nothing saved.
        var bad = await owner.Client.GetAsync($"/console/{shop.Slug}/segments?handler=size&minDays=abc&tier=99999");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()))
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty("minDays", out _));
            Assert.True(errors.TryGetProperty("tier", out _));
        }
        var token = await owner.TokenAsync($"/console/{shop.Slug}/segments");
        await owner.PostFormAsync($"/console/{shop.Slug}/segments", new() { ["name"] = "Broken", ["minDays"] = "40", ["maxDays"] = "30" }, token);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.Segments.CountAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/console/{shop.Slug}/segments", new() { ["name"] = "Lapsed", ["minDays"] = "３０", ["window"] = "90" }, token)).StatusCode);
        var segment = await app.WithDb(shop.Shop, db => db.Segments.AsNoTracking().SingleAsync());
        Assert.Equal(("Lapsed", 30), (segment.Name, segment.MinDaysSinceOrder));
        var page = await owner.Client.GetStringAsync($"/console/{shop.Slug}/segments");
        using (var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page))
        {
            var row = document.QuerySelector($"tr[data-rule-segment='{segment.Id}']")!.Children.Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal(["Lapsed", "last order 30 days ago or more", "3", "1"], row.Take(4));
        }

        // A campaign for the segment reaches its one member who can be mailed, and no one else.
        var campaigns = $"/console/{shop.Slug}/campaigns";
        var made = await owner.PostFormAsync(campaigns, new()
        {
            ["name"] = "Come back",
            ["segment"] = $"s{segment.Id}",
            ["coupon"] = coupon.ToString(CultureInfo.InvariantCulture),
            ["subject"] = "We miss you",
            ["message"] = "Come back for cake.",
            ["holdout"] = "0",
        }, await owner.TokenAsync(campaigns));
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        Assert.Equal(1, await app.Services.GetRequiredService<CampaignSender>().SweepAsync(CancellationToken.None));
        Assert.Equal([lapsed], await app.WithDb(shop.Shop, db => db.CampaignRecipients.Select(r => r.MemberId).ToListAsync()));
        await mail.WaitForAsync(Email(lapsed));
        // A segment a campaign was made for stays.
        await owner.PostFormAsync($"/console/{shop.Slug}/segments?handler=Delete", new() { ["id"] = segment.Id.ToString(CultureInfo.InvariantCulture) }, token);
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Segments.CountAsync()));
        Assert.DoesNotContain(mail.Received, m => new[] { regular, never, noAddress, quiet }.Any(id => m.To.ToString().Contains(Email(id), StringComparison.Ordinal)));
    }
}
