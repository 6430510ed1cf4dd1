using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Ordering;

namespace Plaza.Features.Catalog;

/// <summary>
/// Seeds the demo café on a node's first start: a believable menu to try at any hour (it is open
/// around the clock), with its Chinese words, ten tables, an owner login and a staff API token; and
/// beside it, owned by the same login, a Chinese noodle bar (<see cref="DemoNoodleBar"/>). Only where it is asked for
/// (<see cref="IsWanted"/>): a public shop with a known owner e-mail does not belong on a server by default.
/// </summary>
public static partial class DemoShop
{
    public const string Slug = "demo";
    public const string OwnerEmail = "owner@demo.plaza";
    public const string Setting = "Plaza:Demo";
    /// <summary>Where a node outside Development leaves the demo login, inside its data directory.</summary>
    public const string LoginFile = "demo-login.txt";

    /// <summary><c>Plaza:Demo</c> when set; otherwise only in Development, which is what <c>dotnet run</c> gives through launchSettings.json.</summary>
    public static bool IsWanted(IHostEnvironment environment, IConfiguration configuration) =>
        configuration.GetValue<bool?>(Setting) ?? environment.IsDevelopment();

    /// <summary>Seeds the demo shop on start when <see cref="IsWanted"/>.</summary>
    public static async Task SeedIfWantedAsync(WebApplication app)
    {
        if (IsWanted(app.Environment, app.Configuration))
        {
            await SeedAsync(app.Services);
        }
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        if (!await db.Shops.AnyAsync(s => s.Slug == Slug, ct))
        {
            await SeedCafeAsync(scope.ServiceProvider, db, ct);
        }
        // The noodle bar came later: a node seeded before it gets it beside its café, owned by the same demo owner.
        if (!await db.Shops.AnyAsync(s => s.Slug == DemoNoodleBar.Slug, ct)
            && await db.Accounts.FirstOrDefaultAsync(a => a.Email == OwnerEmail, ct) is { } owner)
        {
            var bar = DemoNoodleBar.Build();
            db.Shops.Add(bar);
            await db.SaveChangesAsync(ct);
            await DemoNoodleBar.AddMenuAsync(db, bar.Id, ct);
            db.Memberships.Add(new Membership { AccountId = owner.Id, ShopId = bar.Id, Role = ShopRole.Owner });
            await db.SaveChangesAsync(ct);
        }
        // Reservations came later too: the café's tables become bookable once (an owner who turns them off keeps them off).
        if (await db.Shops.FirstOrDefaultAsync(s => s.Slug == Slug, ct) is { } cafe
            && !await db.ReservationSettings.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(r => r.ShopId == cafe.Id, ct))
        {
            await Reservations.DemoReservations.SeedAsync(db, cafe.Id, ct);
        }
    }

    private static async Task SeedCafeAsync(IServiceProvider services, PlazaDb db, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Plaza.Demo");
        var shop = Build();
        db.Shops.Add(shop);
        await db.SaveChangesAsync(ct);
        var menu = AddMenu(db, shop.Id);
        for (var n = 1; n <= 10; n++)
        {
            db.Tables.Add(new ShopTable { ShopId = shop.Id, Code = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Name = $"Table {n}", Seats = n <= 6 ? 4 : 2, Area = n <= 6 ? "Hall" : "Terrace" });
        }
        await db.SaveChangesAsync(ct);
        Translate(db, shop.Id, "zh-Hans", menu, Chinese);
        var token = await StaffToken.IssueAsync(db, shop.Id, "demo", TokenScope.Staff, clock, ct);
        var password = Accounts.NewPassword();
        var owner = await services.GetRequiredService<Accounts>().CreateAsync(OwnerEmail, "Demo owner", password, ct);
        db.Memberships.Add(new Membership { AccountId = owner.Id, ShopId = shop.Id, Role = ShopRole.Owner });
        await db.SaveChangesAsync(ct);
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            LogSeeded(log, Slug, OwnerEmail, password, token);
            return;
        }
        // Outside Development logs are shipped and kept elsewhere; the secrets go to a file only the
        // node's user may read, beside the store (whoever can read that owns the node anyway).
        var folder = Data.DataSetup.DataDirectory(services.GetRequiredService<IConfiguration>());
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, LoginFile);
        await WriteLoginFileAsync(file, $"Console: /console\nE-mail: {OwnerEmail}\nPassword: {password}\nStaff API token: {token}\n", ct);
        LogSeededQuietly(log, Slug, OwnerEmail, file);
    }

    /// <summary>
    /// Adds the menu's words in <paramref name="language"/> (<see cref="MenuTranslation"/>) for every category, item,
    /// option group and option whose name <paramref name="words"/> has; saved by the caller.
    /// </summary>
    internal static void Translate(PlazaDb db, int shopId, string language, IEnumerable<Category> menu, IReadOnlyDictionary<string, (string Name, string Description)> words)
    {
        void Add(MenuTextKind kind, int id, string name)
        {
            if (words.TryGetValue(name, out var word))
            {
                db.MenuTranslations.Add(new MenuTranslation { ShopId = shopId, Kind = kind, TargetId = id, Language = language, Name = word.Name, Description = word.Description });
            }
        }
        foreach (var category in menu)
        {
            Add(MenuTextKind.Category, category.Id, category.Name);
            foreach (var item in category.Items)
            {
                Add(MenuTextKind.Item, item.Id, item.Name);
                foreach (var group in item.OptionGroups)
                {
                    Add(MenuTextKind.OptionGroup, group.Id, group.Name);
                    foreach (var option in group.Options)
                    {
                        Add(MenuTextKind.Option, option.Id, option.Name);
                    }
                }
            }
        }
    }

    private static async Task WriteLoginFileAsync(string path, string text, CancellationToken ct)
    {
        // A file left from an earlier store would keep its old permissions; start from a new one.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Demo shop '{Slug}' created, and the noodle bar beside it. Storefronts: /s/demo, /s/lamian · Console: /console — sign in as {Email} with password {Password} (shown once; change it under Account). Staff API token (shown once): {Token}")]
    private static partial void LogSeeded(ILogger logger, string slug, string email, string password, string token);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Demo shop '{Slug}' created, and the noodle bar beside it (Plaza:Demo). Storefronts: /s/demo, /s/lamian · Console: /console — the password of {Email} and a staff API token are in {File}, readable by this node's user only; they are never logged outside Development. Sign in, change the password under Account and delete the file.")]
    private static partial void LogSeededQuietly(ILogger logger, string slug, string email, string file);

    /// <summary>The café's menu in Chinese: name, and for items a description.</summary>
    private static readonly Dictionary<string, (string Name, string Description)> Chinese = new()
    {
        ["Coffee"] = ("咖啡", ""),
        ["Tea & more"] = ("茶饮及其他", ""),
        ["Breakfast"] = ("早餐", ""),
        ["Sandwiches"] = ("三明治", ""),
        ["Bakes & sweets"] = ("烘焙甜点", ""),
        ["Espresso"] = ("意式浓缩", "自家拼配豆，双份精萃。"),
        ["Flat white"] = ("馥芮白", "双份浓缩，丝滑奶泡。"),
        ["Cappuccino"] = ("卡布奇诺", "经典做法，厚奶泡。"),
        ["Latte"] = ("拿铁", "温和，奶香浓郁。"),
        ["Filter coffee"] = ("手冲咖啡", "今日单一产地豆，手工冲煮。"),
        ["Iced latte"] = ("冰拿铁", "加冰，牛奶可选。"),
        ["Green tea"] = ("绿茶", "煎茶，一人一壶。"),
        ["Chai latte"] = ("印度奶茶", "香料红茶加牛奶。"),
        ["Hot chocolate"] = ("热巧克力", "黑巧克力，可加奶油。"),
        ["Fresh orange juice"] = ("鲜榨橙汁", "现点现榨。"),
        ["Sparkling water"] = ("气泡水", "0.5 升一瓶。"),
        ["Eggs on toast"] = ("鸡蛋吐司", "两只散养鸡蛋配烤面包。"),
        ["Avocado toast"] = ("牛油果吐司", "牛油果泥、青柠、辣椒碎、坚果籽。"),
        ["Granola bowl"] = ("燕麦酸奶碗", "自制格兰诺拉、酸奶、时令水果。"),
        ["Shakshuka"] = ("北非蛋", "香料番茄酱焗蛋，配面包。"),
        ["Full breakfast"] = ("全套早餐", "鸡蛋、香肠、焗豆、蘑菇、吐司。"),
        ["Grilled cheese"] = ("烤芝士三明治", "切达和马苏里拉，酸面包。"),
        ["Club sandwich"] = ("总汇三明治", "鸡肉、培根、鸡蛋、番茄、生菜。"),
        ["Falafel wrap"] = ("鹰嘴豆饼卷", "鹰嘴豆饼、鹰嘴豆泥、酸黄瓜、芝麻酱。"),
        ["Salmon bagel"] = ("三文鱼贝果", "烟熏三文鱼、奶油奶酪、刺山柑。"),
        ["Caprese ciabatta"] = ("卡普里恰巴塔", "番茄、马苏里拉、罗勒青酱。"),
        ["Croissant"] = ("可颂", "全黄油，每天早上现烤。"),
        ["Cinnamon bun"] = ("肉桂卷", "小豆蔻和肉桂——每天限量。"),
        ["Banana bread"] = ("香蕉面包", "厚切一片，温热上桌。"),
        ["Carrot cake"] = ("胡萝卜蛋糕", "奶油奶酪糖霜。"),
        ["Vegan brownie"] = ("纯素布朗尼", "黑巧克力和核桃。"),
        ["Lemon tart"] = ("柠檬挞", "明天再来。"),
        ["Size"] = ("杯型", ""),
        ["Regular"] = ("中杯", ""),
        ["Large"] = ("大杯", ""),
        ["Milk"] = ("奶", ""),
        ["Whole milk"] = ("全脂奶", ""),
        ["Oat milk"] = ("燕麦奶", ""),
        ["Soy milk"] = ("豆奶", ""),
        ["Extras"] = ("加料", ""),
        ["Extra shot"] = ("加一份浓缩", ""),
        ["Vanilla syrup"] = ("香草糖浆", ""),
        ["Caramel syrup"] = ("焦糖糖浆", ""),
        ["Bread"] = ("面包", ""),
        ["Sourdough"] = ("酸面包", ""),
        ["Rye"] = ("黑麦", ""),
        ["Gluten-free"] = ("无麸质", ""),
        ["Eggs"] = ("鸡蛋做法", ""),
        ["Scrambled"] = ("炒蛋", ""),
        ["Fried"] = ("煎蛋", ""),
        ["Poached"] = ("水波蛋", ""),
        ["Toppings"] = ("配料", ""),
        ["Avocado"] = ("牛油果", ""),
        ["Smoked salmon"] = ("烟熏三文鱼", ""),
        ["Feta"] = ("菲达奶酪", ""),
        ["Chili oil"] = ("辣油", ""),
    };

    public static Shop Build() => new()
    {
        Slug = Slug,
        Name = "Plaza Demo Café",
        // A newcomer tries the demo without opening the board first.
        UnattendedMinutes = 0,
        Description = "Coffee, breakfast and bakes around the clock — a demo of a Plaza storefront.",
        Currency = "EUR",
        TimeZone = "Europe/Berlin",
        Address = "Oranienstraße 25, 10999 Berlin",
        Latitude = 52.5010,
        Longitude = 13.4190,
        Phone = "+49 30 5550 0100",
        Cuisine = "Café · breakfast · bakes",
        // Plaza's own icon, shipped in wwwroot: a demo logo that needs no upload.
        LogoUrl = "/icons/icon-192.png",
        AcceptsDineIn = true,
        AcceptsPickup = true,
        AcceptsDelivery = true,
        DeliveryRadiusMeters = 3000,
        DeliveryFee = 250,
        DeliveryMinimum = 1000,
        DeliveryTaxCategory = "food",
        PricesIncludeTax = true,
        TipsEnabled = true,
        LeadTimeMinutes = 15,
        SlotMinutes = 15,
        SlotCapacity = 6,
        OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 0, Closes = 24 * 60 })],
        TaxRates =
        [
            new TaxRate { Code = "food", Name = "Food (7 %)", BasisPoints = 700, IsDefault = true },
            new TaxRate { Code = "drinks", Name = "Drinks (19 %)", BasisPoints = 1900 },
        ],
    };

    private static List<Category> AddMenu(PlazaDb db, int shopId)
    {
        var menu = new List<Category>();
        var position = 0;
        Category Cat(string name, params Item[] items)
        {
            var category = new Category { ShopId = shopId, Name = name, Position = position++ };
            var p = 0;
            foreach (var item in items)
            {
                item.ShopId = shopId;
                item.Position = p++;
                foreach (var group in item.OptionGroups)
                {
                    group.ShopId = shopId;
                    foreach (var option in group.Options)
                    {
                        option.ShopId = shopId;
                    }
                }
            }
            category.Items.AddRange(items);
            db.Categories.Add(category);
            menu.Add(category);
            return category;
        }

        static Item Food(string name, long price, string description, string tags = "", Allergens allergens = Allergens.None, params OptionGroup[] groups) =>
            new() { Name = name, Price = price, Description = description, Tags = tags, Allergens = allergens, TaxCategory = "food", OptionGroups = [.. groups] };

        static Item Drink(string name, long price, string description, string tags = "", Allergens allergens = Allergens.None, params OptionGroup[] groups) =>
            new() { Name = name, Price = price, Description = description, Tags = tags, Allergens = allergens, TaxCategory = "drinks", OptionGroups = [.. groups] };

        static OptionGroup Size() => new()
        {
            Name = "Size",
            MinSelect = 1,
            MaxSelect = 1,
            Position = 0,
            Options = [new() { Name = "Regular", PriceDelta = 0, Position = 0 }, new() { Name = "Large", PriceDelta = 60, Position = 1 }],
        };

        static OptionGroup Milk() => new()
        {
            Name = "Milk",
            MinSelect = 0,
            MaxSelect = 1,
            Position = 1,
            Options =
            [
                new() { Name = "Whole milk", PriceDelta = 0, Position = 0 },
                new() { Name = "Oat milk", PriceDelta = 50, Position = 1 },
                new() { Name = "Soy milk", PriceDelta = 50, Position = 2 },
            ],
        };

        static OptionGroup Extras() => new()
        {
            Name = "Extras",
            MinSelect = 0,
            MaxSelect = 3,
            Position = 2,
            Options =
            [
                new() { Name = "Extra shot", PriceDelta = 70, Position = 0 },
                new() { Name = "Vanilla syrup", PriceDelta = 40, Position = 1 },
                new() { Name = "Caramel syrup", PriceDelta = 40, Position = 2 },
            ],
        };

        static OptionGroup Bread() => new()
        {
            Name = "Bread",
            MinSelect = 1,
            MaxSelect = 1,
            Position = 0,
            Options =
            [
                new() { Name = "Sourdough", PriceDelta = 0, Position = 0 },
                new() { Name = "Rye", PriceDelta = 0, Position = 1 },
                new() { Name = "Gluten-free", PriceDelta = 100, Position = 2 },
            ],
        };

        static OptionGroup EggsStyle() => new()
        {
            Name = "Eggs",
            MinSelect = 1,
            MaxSelect = 1,
            Position = 1,
            Options = [new() { Name = "Scrambled", Position = 0 }, new() { Name = "Fried", Position = 1 }, new() { Name = "Poached", PriceDelta = 50, Position = 2 }],
        };

        static OptionGroup Toppings() => new()
        {
            Name = "Toppings",
            MinSelect = 0,
            MaxSelect = 4,
            Position = 0,
            Options =
            [
                new() { Name = "Avocado", PriceDelta = 150, Position = 0 },
                new() { Name = "Smoked salmon", PriceDelta = 250, Position = 1 },
                new() { Name = "Feta", PriceDelta = 100, Position = 2 },
                new() { Name = "Chili oil", PriceDelta = 30, Position = 3 },
            ],
        };

        const Allergens milk = Allergens.Milk;
        Cat("Coffee",
            Drink("Espresso", 220, "Double ristretto from our house blend.", "vegan"),
            Drink("Flat white", 360, "Double shot, silky milk.", "vegetarian", milk, Size(), Milk(), Extras()),
            Drink("Cappuccino", 340, "Classic, with a thick foam.", "vegetarian", milk, Size(), Milk(), Extras()),
            Drink("Latte", 370, "Mild and milky.", "vegetarian", milk, Size(), Milk(), Extras()),
            Drink("Filter coffee", 280, "Today's single origin, brewed by hand.", "vegan", Allergens.None, Size()),
            Drink("Iced latte", 410, "Over ice, with milk of your choice.", "vegetarian", milk, Milk(), Extras()));
        Cat("Tea & more",
            Drink("Green tea", 300, "Sencha, a pot for one.", "vegan"),
            Drink("Chai latte", 390, "Spiced black tea with milk.", "vegetarian", milk, Size(), Milk()),
            Drink("Hot chocolate", 380, "Dark chocolate, whipped cream on request.", "vegetarian", milk | Allergens.Soybeans, Size(), Milk()),
            Drink("Fresh orange juice", 420, "Squeezed to order.", "vegan"),
            Drink("Sparkling water", 250, "0.5 l bottle.", "vegan"));
        Cat("Breakfast",
            Food("Eggs on toast", 890, "Two free-range eggs on toasted bread.", "vegetarian", Allergens.Eggs | Allergens.Gluten | milk, Bread(), EggsStyle()),
            Food("Avocado toast", 950, "Smashed avocado, lime, chili flakes, seeds.", "vegan", Allergens.Gluten | Allergens.Sesame, Bread(), Toppings()),
            Food("Granola bowl", 720, "House granola, yoghurt, seasonal fruit.", "vegetarian", Allergens.Nuts | milk | Allergens.Gluten),
            Food("Shakshuka", 1150, "Eggs baked in spiced tomato sauce, with bread.", "vegetarian,spicy", Allergens.Eggs | Allergens.Gluten),
            Food("Full breakfast", 1390, "Eggs, sausages, beans, mushrooms, toast.", "", Allergens.Eggs | Allergens.Gluten | Allergens.Mustard, EggsStyle()));
        Cat("Sandwiches",
            Food("Grilled cheese", 790, "Cheddar and mozzarella on sourdough.", "vegetarian", Allergens.Gluten | milk),
            Food("Club sandwich", 1090, "Chicken, bacon, egg, tomato, lettuce.", "", Allergens.Gluten | Allergens.Eggs | Allergens.Mustard),
            Food("Falafel wrap", 890, "Falafel, hummus, pickles, tahini.", "vegan", Allergens.Gluten | Allergens.Sesame, Toppings()),
            Food("Salmon bagel", 1050, "Smoked salmon, cream cheese, capers.", "", Allergens.Gluten | Allergens.Fish | milk),
            Food("Caprese ciabatta", 850, "Tomato, mozzarella, basil pesto.", "vegetarian", Allergens.Gluten | milk | Allergens.Nuts));
        Cat("Bakes & sweets",
            Food("Croissant", 260, "All-butter, baked every morning.", "vegetarian", Allergens.Gluten | milk | Allergens.Eggs),
            new Item
            {
                Name = "Cinnamon bun",
                Price = 350,
                Description = "Cardamom and cinnamon — a limited batch each day.",
                Tags = "vegetarian",
                Allergens = Allergens.Gluten | milk | Allergens.Eggs,
                TaxCategory = "food",
                Stock = 24,
            },
            Food("Banana bread", 380, "A thick slice, served warm.", "vegetarian", Allergens.Gluten | Allergens.Eggs | Allergens.Nuts),
            Food("Carrot cake", 450, "With cream-cheese frosting.", "vegetarian", Allergens.Gluten | Allergens.Eggs | milk | Allergens.Nuts),
            Food("Vegan brownie", 390, "Dark chocolate and walnuts.", "vegan", Allergens.Gluten | Allergens.Nuts | Allergens.Soybeans),
            new Item
            {
                Name = "Lemon tart",
                Price = 480,
                Description = "Back tomorrow.",
                Tags = "vegetarian",
                SoldOut = true,
                Allergens = Allergens.Gluten | Allergens.Eggs | milk,
                TaxCategory = "food",
            });
        return menu;
    }
}
