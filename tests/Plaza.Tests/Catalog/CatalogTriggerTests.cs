using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Catalog;

/// <summary>
/// The menu cache trusts a shop's <c>CatalogVersion</c>, which store triggers move whenever a row the
/// catalog is built from changes. A table the catalog reads without a trigger, or a trigger missing
/// for one kind of change, would leave customers on a stale menu until a restart.
/// </summary>
public sealed partial class CatalogTriggerTests
{
    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task The_tables_with_catalog_triggers_are_exactly_the_tables_the_catalog_is_read_from(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);

        var read = await app.WithDb(null, async db =>
        {
            using var commands = new CommandsOf(db);
            Assert.NotNull(await ShopCatalog.LoadAsync(db, shop.Shop.Id, CancellationToken.None));
            return commands.Tables();
        });
        var watched = await app.WithDb(null, db => TriggeredTablesAsync(db, store));

        Assert.Equal(read.Order(StringComparer.Ordinal), watched.Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Every_insert_update_and_delete_of_a_catalog_row_moves_its_shops_version_and_no_other(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var other = await CreateAsync(app);
        var categoryId = await app.WithDb(shop.Shop, db => db.Items.Where(i => i.Id == shop.Cake.Id).Select(i => i.CategoryId).SingleAsync());
        var changes = new (string Table, Func<object> Make, Action<object> Change)[]
        {
            ("OpeningRange", () => new OpeningRange { ShopId = shop.Shop.Id, Day = DayOfWeek.Monday, Opens = 60, Closes = 120 }, r => ((OpeningRange)r).Closes = 180),
            ("TaxRate", () => new TaxRate { ShopId = shop.Shop.Id, Code = "takeaway", Name = "Takeaway", BasisPoints = 500 }, r => ((TaxRate)r).BasisPoints = 600),
            ("ClosedDate", () => new ClosedDate { ShopId = shop.Shop.Id, Date = new DateOnly(2027, 2, 17), Note = "春节" }, r => ((ClosedDate)r).Note = "Spring Festival"),
            ("Tables", () => new ShopTable { ShopId = shop.Shop.Id, Code = "40", Name = "Terrace 40" }, r => ((ShopTable)r).Name = "Terrace forty"),
            ("Categories", () => new Category { ShopId = shop.Shop.Id, Name = "Soups" }, r => ((Category)r).Name = "Broths"),
            ("Items", () => new Item { ShopId = shop.Shop.Id, CategoryId = categoryId, Name = "Tea", Price = 250, TaxCategory = "drinks" }, r => ((Item)r).Price = 270),
            ("OptionGroups", () => new OptionGroup { ShopId = shop.Shop.Id, ItemId = shop.Cake.Id, Name = "Cream" }, r => ((OptionGroup)r).MaxSelect = 2),
            ("Options", () => new Option { ShopId = shop.Shop.Id, OptionGroupId = shop.Size.Id, Name = "Small", PriceDelta = -20 }, r => ((Option)r).PriceDelta = -30),
            ("MenuTranslations", () => new MenuTranslation { ShopId = shop.Shop.Id, Kind = MenuTextKind.Item, TargetId = shop.Cake.Id, Language = "zh-Hans", Name = "蛋糕" },
                r => ((MenuTranslation)r).Name = "芝士蛋糕"),
        };
        // Every table the triggers watch is exercised here (the shop row itself below).
        Assert.Equal((await app.WithDb(null, db => TriggeredTablesAsync(db, store))).Where(t => t != "Shops").Order(StringComparer.Ordinal),
            changes.Select(c => c.Table).Order(StringComparer.Ordinal));

        foreach (var (table, make, change) in changes)
        {
            var row = make();
            await ExpectMovedAsync($"{table} insert", db => db.Add(row));
            await ExpectMovedAsync($"{table} update", db => change(db.Attach(row).Entity));
            await ExpectMovedAsync($"{table} delete", db => db.Remove(row));
        }
        await ExpectMovedAsync("Shops update", db => db.Shops.Single(s => s.Id == shop.Shop.Id).Name = "Café renamed");

        async Task ExpectMovedAsync(string what, Action<PlazaDb> edit)
        {
            var before = await VersionsAsync();
            await app.WithDb(shop.Shop, async db =>
            {
                edit(db);
                return await db.SaveChangesAsync();
            });
            var after = await VersionsAsync();
            Assert.True(after.Shop > before.Shop, $"{what}: the shop's catalog version stayed at {before.Shop}.");
            Assert.True(after.Other == before.Other, $"{what}: another shop's catalog version moved from {before.Other} to {after.Other}.");
        }

        Task<(long Shop, long Other)> VersionsAsync() => app.WithDb(null, async db =>
        (
            await db.Shops.AsNoTracking().Where(s => s.Id == shop.Shop.Id).Select(s => s.CatalogVersion).SingleAsync(),
            await db.Shops.AsNoTracking().Where(s => s.Id == other.Shop.Id).Select(s => s.CatalogVersion).SingleAsync()));
    }

    private static async Task<List<string>> TriggeredTablesAsync(PlazaDb db, Store store)
    {
        var sql = store == Store.Sqlite
            ? """SELECT DISTINCT tbl_name AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'catalog\_%' ESCAPE '\'"""
            : """SELECT DISTINCT event_object_table AS "Value" FROM information_schema.triggers WHERE trigger_name LIKE 'catalog\_%'""";
        return await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
    }

    /// <summary>The SQL one context sends while this is alive (EF's diagnostic events, kept to that context).</summary>
    private sealed partial class CommandsOf : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext context;
        private readonly List<IDisposable> subscriptions = [];
        private readonly List<string> sql = [];

        public CommandsOf(DbContext context)
        {
            this.context = context;
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        /// <summary>The tables named after FROM or JOIN in what was sent.</summary>
        public HashSet<string> Tables()
        {
            lock (sql)
            {
                return [.. sql.SelectMany(s => TableName().Matches(s)).Select(m => m.Groups[1].Value)];
            }
        }

        [GeneratedRegex(@"(?:FROM|JOIN)\s+""(\w+)""", RegexOptions.IgnoreCase)]
        private static partial Regex TableName();

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && ReferenceEquals(data.Context, context))
            {
                lock (sql)
                {
                    sql.Add(((DbCommand)data.Command).CommandText);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
