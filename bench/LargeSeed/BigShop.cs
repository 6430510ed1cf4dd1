using NodaTime;
using Plaza.Data;
using Plaza.Features.Campaigns;
using Plaza.Features.Console;
using Plaza.Features.Loyalty;
using Plaza.Features.Members;
using Plaza.Features.Ordering;

namespace Plaza.Bench.LargeSeed;

/// <summary>
/// Issue 18's one big shop: a year of orders from many customers, so the owner's dashboard, segments and campaign results
/// are measured where they cost the most. Half the customers are members (70 % of them agreed to offers), the other half
/// guests known by phone; completed orders carry their customer (a few customers order often, most rarely), and each
/// customer's roll-up is what the node would have counted. One campaign sent 60 days ago to 5,000 members (a fifth held
/// out), a win-back journey with 2,000 entries over the last 90 days, and a "Lapsed" segment complete the picture.
/// </summary>
internal static class BigShop
{
    public const string Slug = "bench-big";
    public const string OwnerEmail = "owner@bench-big.example";
    public const string OwnerPassword = "bench big owner password";

    public static async Task<string> SeedAsync(PlazaDb db, Program.OrderWriter batch, Dictionary<(int Shop, int Day), int> counters, int items, int orders, int customerCount,
        int days, Instant now, Random random, Func<int, int, string, Task<List<Program.Menu>>> createShops, Func<Program.Menu, Instant, int, int, Instant, Random, Order> makeOrder)
    {
        var menu = (await createShops(1, items, Slug))[0];
        var shop = menu.Shop;
        var utcNow = now.ToDateTimeUtc();
        var account = new Account
        {
            Email = OwnerEmail,
            DisplayName = "Big shop owner",
            PasswordHash = Accounts.HashPassword(OwnerPassword),
            SecurityStamp = Accounts.NewStamp(),
            CreatedAt = utcNow,
        };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        db.Memberships.Add(new Membership { AccountId = account.Id, ShopId = shop.Id, Role = ShopRole.Owner });

        var members = Enumerable.Range(0, customerCount / 2).Select(i => new Member
        {
            ShopId = shop.Id,
            Email = $"member{i}@bench-big.example",
            Language = i % 3 == 0 ? "zh-CN" : "en",
            SecurityStamp = Member.NewStamp(),
            JoinedAt = utcNow.AddDays(-random.Next(days)),
            MarketingConsentAt = i % 10 < 7 ? utcNow.AddDays(-days) : null,
            MarketingConsentText = i % 10 < 7 ? "Offers from the shop" : null,
            BirthMonth = 1 + (i % 12),
            BirthDay = 1 + (i % 28),
        }).ToList();
        await AddInChunksAsync(db, members);
        var customers = Enumerable.Range(0, customerCount).Select(i => new Customer
        {
            ShopId = shop.Id,
            MemberId = i < members.Count ? members[i].Id : null,
            Phone = i < members.Count ? null : $"+49301{i:D7}",
        }).ToList();
        await AddInChunksAsync(db, customers);

        var zone = DateTimeZoneProviders.Tzdb[shop.TimeZone];
        for (var n = 0; n < orders; n++)
        {
            var placed = now - Duration.FromSeconds(random.NextInt64(0, days * 86_400L));
            var date = placed.InZone(zone).Date;
            var day = (date.Year * 10000) + (date.Month * 100) + date.Day;
            var number = counters[(shop.Id, day)] = counters.GetValueOrDefault((shop.Id, day)) + 1;
            var order = makeOrder(menu, placed, day, number, now, random);
            if (order.Status == OrderStatus.Completed)
            {
                // Skewed: the square of a uniform draw favours the first customers, so some order often and most rarely.
                var customer = customers[(int)(customers.Count * Math.Pow(random.NextDouble(), 2))];
                (order.CustomerId, order.MemberId) = (customer.Id, customer.MemberId);
                customer.Orders++;
                customer.Spend += order.Total;
                customer.FirstOrderAt = customer.FirstOrderAt is { } first && first < order.PlacedAt ? first : order.PlacedAt;
                customer.LastOrderAt = customer.LastOrderAt is { } last && last > order.PlacedAt ? last : order.PlacedAt;
            }
            batch.Add(order);
            if ((n + 1) % 50_000 == 0)
            {
                await batch.FlushAsync();
            }
        }
        await batch.FlushAsync();
        // In chunks, as AddInChunksAsync says why.
        foreach (var chunk in customers.Chunk(500))
        {
            db.Customers.UpdateRange(chunk);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        var coupon = new Coupon { ShopId = shop.Id, Name = "Cake on us", Kind = CouponKind.AmountOff, Value = 200, CreatedAt = utcNow.AddDays(-90) };
        db.Coupons.Add(coupon);
        await db.SaveChangesAsync();
        var sentAt = utcNow.AddDays(-60);
        var campaign = new Campaign
        {
            ShopId = shop.Id,
            Name = "Spring back",
            CouponId = coupon.Id,
            Subject = "We miss you",
            Message = "A cake on us.",
            HoldoutPercent = 20,
            Seed = 18,
            SendAt = sentAt,
            SentAt = sentAt,
            CreatedAt = sentAt,
        };
        db.Campaigns.Add(campaign);
        var journey = new Journey { ShopId = shop.Id, Kind = JourneyKind.WinBack, OnSince = utcNow.AddDays(-90), CouponId = coupon.Id, Subject = "We miss you", Message = "Come back.", Days = 60 };
        db.Journeys.Add(journey);
        db.Segments.Add(new Segment { ShopId = shop.Id, Name = "Lapsed", MinDaysSinceOrder = 60, CreatedAt = utcNow });
        await db.SaveChangesAsync();
        var consenting = members.Where(m => m.MarketingConsentAt is not null).ToList();
        await AddInChunksAsync(db, consenting.Take(5_000).Select((m, i) => new CampaignRecipient
        {
            ShopId = shop.Id,
            CampaignId = campaign.Id,
            MemberId = m.Id,
            Group = i % 5 == 0 ? CampaignGroup.Holdout : CampaignGroup.Treated,
            DrawnAt = sentAt,
        }).ToList());
        await AddInChunksAsync(db, consenting.Skip(5_000).Take(2_000).Select((m, i) => new JourneyEntry
        {
            ShopId = shop.Id,
            JourneyId = journey.Id,
            MemberId = m.Id,
            Window = i,
            Group = i % 10 == 0 ? CampaignGroup.Holdout : CampaignGroup.Treated,
            Day = 0,
            At = utcNow.AddDays(-random.Next(90)),
        }).ToList());
        return $"{Slug}\t{OwnerEmail}\t{OwnerPassword}\t{campaign.Id}";
    }

    /// <summary>
    /// Adds rows 500 at a time: one command of 20,000 statements costs SQLite's driver time and memory by the square of its
    /// length (each statement is prepared from the rest of the text).
    /// </summary>
    private static async Task AddInChunksAsync<T>(PlazaDb db, List<T> rows)
        where T : class
    {
        foreach (var chunk in rows.Chunk(500))
        {
            db.AddRange(chunk);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }
}
