using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;

namespace Plaza.Bench.LargeSeed;

/// <summary>
/// Fills a node's store with the large node: <c>--Shops</c> shops (default 1,000) of
/// <c>--Items</c> items (50) and <c>--Orders</c> orders (1,000,000) spread over the last <c>--Days</c>
/// days (60) of each shop's own time zone, so owner reports have real history to read. Shops and
/// menus go through EF Core; orders, lines and transitions are bulk-written (SQLite: prepared
/// statements in large transactions; PostgreSQL: binary COPY), as a node that had run for months
/// would hold them. Writes one line per shop to <c>--Out</c>: slug, a staff API token, item ids.
/// With <c>--BigOrders</c> (e.g. 200,000) one more shop, <c>bench-big</c>, gets that many orders over <c>--BigDays</c>
/// (365) from <c>--BigCustomers</c> customers (20,000; half of them members), a sent campaign, a journey and a segment
/// (<see cref="BigShop"/>), and its line (slug, owner e-mail, password, campaign id) goes to <c>--BigOut</c>.
/// Store settings are the node's own: <c>--Plaza:DataDir</c>, <c>--Plaza:Database:Provider</c>, <c>--ConnectionStrings:Plaza</c>.
/// </summary>
internal static class Program
{
    private const string SlugPrefix = "bench-";
    private static readonly string[] Zones = ["Europe/Berlin", "Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"];

    private static async Task<int> Main(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).Build();
        var shops = config.GetValue("Shops", 1000);
        var itemsPerShop = config.GetValue("Items", 50);
        var orders = config.GetValue("Orders", 1_000_000);
        var days = config.GetValue("Days", 60);
        var output = config["Out"] ?? "large-shops.tsv";
        var random = new Random(config.GetValue("RandomSeed", 6));
        var clock = Stopwatch.StartNew();

        await using var db = Open(config);
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        if (await db.Shops.AnyAsync(s => s.Slug.StartsWith(SlugPrefix)))
        {
            await Console.Error.WriteLineAsync("This store already holds bench shops; seed an empty store.");
            return 1;
        }

        var menus = await CreateShopsAsync(db, shops, itemsPerShop, random);
        var menuSeconds = clock.Elapsed.TotalSeconds;
        await File.WriteAllLinesAsync(output, menus.Select(m => $"{m.Shop.Slug}\t{m.Token}\t{string.Join(',', m.Items.Select(i => i.Id))}"));

        var now = SystemClock.Instance.GetCurrentInstant();
        var batch = new OrderWriter(db);
        var counters = new Dictionary<(int Shop, int Day), int>();
        var written = 0;
        for (var s = 0; s < menus.Count; s++)
        {
            var count = (orders / menus.Count) + (s < orders % menus.Count ? 1 : 0);
            var menu = menus[s];
            var zone = DateTimeZoneProviders.Tzdb[menu.Shop.TimeZone];
            for (var n = 0; n < count; n++)
            {
                var placed = now - Duration.FromSeconds(random.NextInt64(0, days * 86_400L));
                var date = placed.InZone(zone).Date;
                var day = (date.Year * 10000) + (date.Month * 100) + date.Day;
                var number = counters[(menu.Shop.Id, day)] = counters.GetValueOrDefault((menu.Shop.Id, day)) + 1;
                batch.Add(MakeOrder(menu, placed, day, number, now, random));
                if (++written % 50_000 == 0)
                {
                    await batch.FlushAsync();
                    Console.Error.Write($"\r{written:N0} orders");
                }
            }
        }
        await batch.FlushAsync();
        var bigOrders = config.GetValue("BigOrders", 0);
        var bigLine = "";
        if (bigOrders > 0)
        {
            bigLine = await BigShop.SeedAsync(db, batch, counters, itemsPerShop, bigOrders, config.GetValue("BigCustomers", 20_000), config.GetValue("BigDays", 365), now, random,
                (count, items, slug) => CreateShopsAsync(db, count, items, random, slug), MakeOrder);
            await File.WriteAllTextAsync(config["BigOut"] ?? "big-shop.tsv", bigLine + "\n");
            written += bigOrders;
        }
        await batch.WriteCountersAsync(counters);
        await batch.FinishAsync();
        Console.Error.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"seeded {menus.Count} shops × {itemsPerShop} items in {menuSeconds:F1} s and {written:N0} orders ({batch.Lines:N0} lines) in {clock.Elapsed.TotalSeconds - menuSeconds:F1} s; total {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static PlazaDb Open(IConfiguration config)
    {
        if (config.GetValue("Plaza:Database:Provider", StoreProvider.Sqlite) == StoreProvider.Postgres)
        {
            var cs = config.GetConnectionString("Plaza") ?? throw new InvalidOperationException("ConnectionStrings:Plaza is required for PostgreSQL.");
            return new PostgresPlazaDb(new DbContextOptionsBuilder<PostgresPlazaDb>().UseNpgsql(cs).Options, new ShopScope());
        }
        var dataDir = DataSetup.DataDirectory(config);
        Directory.CreateDirectory(dataDir);
        var file = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "plaza.db"), DefaultTimeout = 30 };
        return new SqlitePlazaDb(new DbContextOptionsBuilder<SqlitePlazaDb>().UseSqlite(file.ToString()).Options, new ShopScope());
    }

    internal sealed record Menu(Shop Shop, string Token, List<Item> Items);

    private static async Task<List<Menu>> CreateShopsAsync(PlazaDb db, int shops, int itemsPerShop, Random random, string? slug = null)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var menus = new List<Menu>();
        for (var first = 0; first < shops; first += 100)
        {
            var chunk = Enumerable.Range(first, Math.Min(100, shops - first)).Select(n =>
            {
                var shop = DemoShop.Build();
                shop.Slug = slug ?? $"{SlugPrefix}{n + 1:0000}";
                shop.Name = $"Bench shop {n + 1}";
                shop.TimeZone = Zones[n % Zones.Length];
                shop.SlotCapacity = 1000;
                shop.Latitude += (n % 40) * 0.01;
                shop.Longitude += (n / 40) * 0.01;
                return shop;
            }).ToList();
            db.Shops.AddRange(chunk);
            await db.SaveChangesAsync();
            foreach (var shop in chunk)
            {
                var items = Enumerable.Range(0, itemsPerShop).Select(i => new Item
                {
                    ShopId = shop.Id,
                    Name = $"Item {i + 1}",
                    Description = "A bench item.",
                    Price = 150 + (random.Next(0, 40) * 25),
                    TaxCategory = i % 3 == 0 ? "drinks" : "food",
                    Position = i % 10,
                }).ToList();
                for (var c = 0; c * 10 < items.Count; c++)
                {
                    db.Categories.Add(new Category { ShopId = shop.Id, Name = $"Category {c + 1}", Position = c, Items = [.. items.Skip(c * 10).Take(10)] });
                }
                var token = $"{StaffToken.Prefix}{shop.Slug}-{random.NextInt64():x}";
                // An owner token: the bench reads the owner reports with it as well as placing and reading orders.
                db.ApiTokens.Add(new ApiToken { ShopId = shop.Id, Name = "bench", TokenHash = StaffToken.Hash(token), Scope = TokenScope.Owner, CreatedAt = DateTime.UtcNow });
                menus.Add(new Menu(shop, token, items));
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return menus;
    }

    internal static Order MakeOrder(Menu menu, Instant placed, int day, int number, Instant now, Random random)
    {
        var type = random.Next(100) switch { < 50 => OrderType.Pickup, < 85 => OrderType.DineIn, _ => OrderType.Delivery };
        // Orders of the last hour are still open; older ones ended, most completed.
        var status = placed > now - Duration.FromHours(1)
            ? OrderStatus.Accepted
            : random.Next(100) switch { < 4 => OrderStatus.Rejected, < 7 => OrderStatus.Cancelled, _ => OrderStatus.Completed };
        var order = new Order
        {
            Id = Guid.CreateVersion7(placed.ToDateTimeOffset()),
            ShopId = menu.Shop.Id,
            Number = $"A-{number:000}",
            BusinessDay = day,
            Type = type,
            Status = status,
            TableCode = type == OrderType.DineIn ? (1 + random.Next(20)).ToString(CultureInfo.InvariantCulture) : null,
            DeliveryAddress = type == OrderType.Delivery ? "Oranienstraße 25, 10999 Berlin" : null,
            CustomerName = "Bench",
            CustomerPhone = "+49 30 1234567",
            Currency = menu.Shop.Currency,
            PricesIncludeTax = true,
            PlacedAt = placed.ToDateTimeUtc(),
            Reason = status is OrderStatus.Rejected or OrderStatus.Cancelled ? "Bench" : null,
        };
        long tax = 0;
        foreach (var item in Enumerable.Range(0, 1 + random.Next(4)).Select(_ => menu.Items[random.Next(menu.Items.Count)]).Distinct())
        {
            var quantity = 1 + (random.Next(10) / 7);
            var basisPoints = item.TaxCategory == "drinks" ? 1900 : 700;
            var line = new OrderLine
            {
                ShopId = order.ShopId,
                OrderId = order.Id,
                ItemId = item.Id,
                Name = item.Name,
                Quantity = quantity,
                UnitPrice = item.Price,
                LineTotal = item.Price * quantity,
                TaxBasisPoints = basisPoints,
            };
            order.Lines.Add(line);
            order.ItemsTotal += line.LineTotal;
            tax += MoneyRounding.Divide(line.LineTotal * basisPoints, 10_000 + basisPoints);
        }
        order.DeliveryFee = type == OrderType.Delivery ? menu.Shop.DeliveryFee : 0;
        order.Tip = random.Next(100) < 30 ? MoneyRounding.Divide(order.ItemsTotal * 10, 100) : 0;
        order.Tax = tax;
        order.Total = order.ItemsTotal + order.DeliveryFee + order.Tip;
        order.Transitions.Add(new OrderTransition { ShopId = order.ShopId, OrderId = order.Id, Status = OrderStatus.Placed, At = order.PlacedAt, Actor = "customer" });
        if (status != OrderStatus.Placed)
        {
            order.Transitions.Add(new OrderTransition { ShopId = order.ShopId, OrderId = order.Id, Status = status, At = order.PlacedAt.AddMinutes(10), Actor = "bench", Reason = order.Reason });
        }
        return order;
    }

    /// <summary>Collects orders and writes them in one transaction (SQLite) or one COPY per table (PostgreSQL) per flush.</summary>
    internal sealed class OrderWriter(PlazaDb db)
    {
        private const string OrderColumns = "\"Id\", \"ShopId\", \"Number\", \"BusinessDay\", \"Type\", \"Status\", \"TableCode\", \"PickupAt\", \"DeliveryAddress\", \"CustomerName\", \"CustomerPhone\", \"Note\", \"Currency\", \"ItemsTotal\", \"DeliveryFee\", \"Tip\", \"Tax\", \"Total\", \"PricesIncludeTax\", \"TaxBreakdown\", \"PlacedAt\", \"ReadyAt\", \"Reason\", \"CustomerId\", \"MemberId\"";
        private const string LineColumns = "\"ShopId\", \"OrderId\", \"ItemId\", \"Name\", \"Options\", \"OptionIds\", \"Quantity\", \"UnitPrice\", \"LineTotal\", \"TaxBasisPoints\"";
        private const string TransitionColumns = "\"ShopId\", \"OrderId\", \"Status\", \"At\", \"Actor\", \"Reason\"";
        private readonly List<Order> pending = [];

        public long Lines { get; private set; }

        public void Add(Order order) => pending.Add(order);

        public async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }
            await db.Database.OpenConnectionAsync();
            if (db.Database.GetDbConnection() is NpgsqlConnection pg)
            {
                await CopyAsync(pg);
            }
            else
            {
                await InsertAsync((SqliteConnection)db.Database.GetDbConnection());
            }
            Lines += pending.Sum(o => o.Lines.Count);
            pending.Clear();
        }

        private async Task InsertAsync(SqliteConnection connection)
        {
            // A bench load, not customers' orders: no fsync per batch; the file is checkpointed at the end.
            await using (var pragma = new SqliteCommand("PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;", connection))
            {
                await pragma.ExecuteNonQueryAsync();
            }
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            var order = Command(connection, transaction, "Orders", OrderColumns, 25);
            var line = Command(connection, transaction, "OrderLines", LineColumns, 10);
            var transition = Command(connection, transaction, "OrderTransitions", TransitionColumns, 6);
            foreach (var o in pending)
            {
                await RunAsync(order, o.Id, o.ShopId, o.Number, o.BusinessDay, (int)o.Type, (int)o.Status, o.TableCode, o.PickupAt, o.DeliveryAddress,
                    o.CustomerName, o.CustomerPhone, o.Note, o.Currency, o.ItemsTotal, o.DeliveryFee, o.Tip, o.Tax, o.Total, o.PricesIncludeTax,
                    o.TaxBreakdown, o.PlacedAt, o.ReadyAt, o.Reason, o.CustomerId, o.MemberId);
                foreach (var l in o.Lines)
                {
                    await RunAsync(line, l.ShopId, l.OrderId, l.ItemId, l.Name, l.Options, l.OptionIds, l.Quantity, l.UnitPrice, l.LineTotal, l.TaxBasisPoints);
                }
                foreach (var t in o.Transitions)
                {
                    await RunAsync(transition, t.ShopId, t.OrderId, (int)t.Status, t.At, t.Actor, t.Reason);
                }
            }
            await transaction.CommitAsync();
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string table, string columns, int count)
        {
            var command = new SqliteCommand($"INSERT INTO \"{table}\" ({columns}) VALUES ({string.Join(", ", Enumerable.Range(0, count).Select(i => "$p" + i))})", connection, transaction);
            for (var i = 0; i < count; i++)
            {
                command.Parameters.Add(new SqliteParameter("$p" + i, null));
            }
            command.Prepare();
            return command;
        }

        private static async Task RunAsync(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync();
        }

        private async Task CopyAsync(NpgsqlConnection connection)
        {
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"Orders\" ({OrderColumns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var o in pending)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(o.Id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(o.ShopId, NpgsqlDbType.Integer);
                    await copy.WriteAsync(o.Number, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.BusinessDay, NpgsqlDbType.Integer);
                    await copy.WriteAsync((int)o.Type, NpgsqlDbType.Integer);
                    await copy.WriteAsync((int)o.Status, NpgsqlDbType.Integer);
                    await WriteNullableAsync(copy, o.TableCode, NpgsqlDbType.Varchar);
                    await WriteNullableAsync(copy, o.PickupAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, o.DeliveryAddress, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.CustomerName, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.CustomerPhone, NpgsqlDbType.Varchar);
                    await WriteNullableAsync(copy, o.Note, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.Currency, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.ItemsTotal, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(o.DeliveryFee, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(o.Tip, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(o.Tax, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(o.Total, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(o.PricesIncludeTax, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(o.TaxBreakdown, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(o.PlacedAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, o.ReadyAt, NpgsqlDbType.TimestampTz);
                    await WriteNullableAsync(copy, o.Reason, NpgsqlDbType.Varchar);
                    await WriteNullableAsync(copy, o.CustomerId, NpgsqlDbType.Bigint);
                    await WriteNullableAsync(copy, o.MemberId, NpgsqlDbType.Bigint);
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"OrderLines\" ({LineColumns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var l in pending.SelectMany(o => o.Lines))
                {
                    await copy.WriteRowAsync(default, l.ShopId, l.OrderId, l.ItemId, l.Name, l.Options, l.OptionIds, l.Quantity, l.UnitPrice, l.LineTotal, l.TaxBasisPoints);
                }
                await copy.CompleteAsync();
            }
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"OrderTransitions\" ({TransitionColumns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var t in pending.SelectMany(o => o.Transitions))
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(t.ShopId, NpgsqlDbType.Integer);
                    await copy.WriteAsync(t.OrderId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync((int)t.Status, NpgsqlDbType.Integer);
                    await copy.WriteAsync(t.At, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(t.Actor, NpgsqlDbType.Varchar);
                    await WriteNullableAsync(copy, t.Reason, NpgsqlDbType.Varchar);
                }
                await copy.CompleteAsync();
            }
        }

        private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        {
            if (value is null)
            {
                await copy.WriteNullAsync();
            }
            else
            {
                await copy.WriteAsync(value, type);
            }
        }

        /// <summary>The day counters the node numbers new orders from, so a new order today never takes a seeded number.</summary>
        public async Task WriteCountersAsync(Dictionary<(int Shop, int Day), int> counters)
        {
            db.ChangeTracker.Clear();
            db.OrderCounters.AddRange(counters.Select(c => new OrderCounter { ShopId = c.Key.Shop, Day = c.Key.Day, Last = c.Value }));
            await db.SaveChangesAsync();
        }

        public async Task FinishAsync()
        {
            if (db.Database.IsNpgsql())
            {
                // A node's autovacuum would get there in time; the benchmark should not depend on when.
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) \"Orders\"");
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) \"OrderLines\"");
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) \"OrderTransitions\"");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            }
            await db.Database.CloseConnectionAsync();
        }
    }
}
