using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Ordering;

namespace Plaza.Features.Catalog;

/// <summary>
/// Seeds the demo café on a node's first start: a believable menu to try at any hour (it is open
/// around the clock), ten tables, an owner login and a staff API token. Only where it is asked for
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
        if (await db.Shops.AnyAsync(s => s.Slug == Slug, ct))
        {
            return;
        }
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Plaza.Demo");
        var shop = Build();
        db.Shops.Add(shop);
        await db.SaveChangesAsync(ct);
        AddMenu(db, shop.Id);
        for (var n = 1; n <= 10; n++)
        {
            db.Tables.Add(new ShopTable { ShopId = shop.Id, Code = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Name = $"Table {n}", Seats = n <= 6 ? 4 : 2, Area = n <= 6 ? "Hall" : "Terrace" });
        }
        await db.SaveChangesAsync(ct);
        var token = await StaffToken.IssueAsync(db, shop.Id, "demo", TokenScope.Staff, clock, ct);
        var password = Accounts.NewPassword();
        var owner = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(OwnerEmail, "Demo owner", password, ct);
        db.Memberships.Add(new Membership { AccountId = owner.Id, ShopId = shop.Id, Role = ShopRole.Owner });
        await db.SaveChangesAsync(ct);
        if (scope.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            LogSeeded(log, Slug, OwnerEmail, password, token);
            return;
        }
        // Outside Development logs are shipped and kept elsewhere; the secrets go to a file only the
        // node's user may read, beside the store (whoever can read that owns the node anyway).
        var folder = Data.DataSetup.DataDirectory(scope.ServiceProvider.GetRequiredService<IConfiguration>());
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, LoginFile);
        await WriteLoginFileAsync(file, $"Console: /console\nE-mail: {OwnerEmail}\nPassword: {password}\nStaff API token: {token}\n", ct);
        LogSeededQuietly(log, Slug, OwnerEmail, file);
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
        "Demo shop '{Slug}' created. Storefront: /s/demo · Console: /console — sign in as {Email} with password {Password} (shown once; change it under Account). Staff API token (shown once): {Token}")]
    private static partial void LogSeeded(ILogger logger, string slug, string email, string password, string token);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Demo shop '{Slug}' created (Plaza:Demo). Storefront: /s/demo · Console: /console — the password of {Email} and a staff API token are in {File}, readable by this node's user only; they are never logged outside Development. Sign in, change the password under Account and delete the file.")]
    private static partial void LogSeededQuietly(ILogger logger, string slug, string email, string file);

    public static Shop Build() => new()
    {
        Slug = Slug,
        Name = "Plaza Demo Café",
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

    private static void AddMenu(PlazaDb db, int shopId)
    {
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
    }
}
