using Plaza.Data;

namespace Plaza.Features.Catalog;

/// <summary>
/// The second demo shop, beside the café and owned by the same demo owner (a main business and a sideline): a
/// Lanzhou noodle bar in Shanghai that speaks Chinese first, prices in yuan, names its tables 1号桌…, and carries
/// English translations of its menu, as the café carries Chinese ones. Open around the clock, like the café, so a
/// newcomer can try it at any hour.
/// </summary>
public static class DemoNoodleBar
{
    public const string Slug = "lamian";

    private static readonly string[] Shapes = ["毛细", "细", "二细", "三细", "韭叶", "宽", "大宽"];
    private static readonly string[] Heat = ["不辣", "微辣", "中辣", "特辣"];

    public static Shop Build() => new()
    {
        Slug = Slug,
        Name = "兰州牛肉面",
        // A newcomer tries the demo without opening the board first.
        UnattendedMinutes = 0,
        Description = "手工拉面，现拉现煮；牛骨清汤熬足八小时。Plaza 店铺演示。",
        Currency = "CNY",
        TimeZone = "Asia/Shanghai",
        DefaultLanguage = "zh-Hans",
        Address = "上海市黄浦区云南南路 88 号",
        Latitude = 31.2286,
        Longitude = 121.4794,
        Phone = "021 5555 0188",
        Cuisine = "兰州拉面 · 小吃",
        LogoUrl = "/icons/icon-192.png",
        AcceptsDineIn = true,
        AcceptsPickup = true,
        AcceptsDelivery = true,
        DeliveryRadiusMeters = 2000,
        DeliveryFee = 300,
        DeliveryMinimum = 2000,
        DeliveryTaxCategory = "food",
        PricesIncludeTax = true,
        TipsEnabled = false,
        LeadTimeMinutes = 10,
        SlotMinutes = 15,
        SlotCapacity = 8,
        OpeningHours = [.. Enum.GetValues<DayOfWeek>().Select(d => new OpeningRange { Day = d, Opens = 0, Closes = 24 * 60 })],
        TaxRates = [new TaxRate { Code = "food", Name = "餐饮 (6 %)", BasisPoints = 600, IsDefault = true }],
    };

    /// <summary>Menu, tables and the menu's English words; saved by the caller.</summary>
    public static async Task AddMenuAsync(PlazaDb db, int shopId, CancellationToken ct)
    {
        OptionGroup Noodle() => new()
        {
            ShopId = shopId,
            Name = "面型",
            MinSelect = 1,
            MaxSelect = 1,
            Options = [.. Shapes.Select((n, i) => new Option { ShopId = shopId, Name = n, Position = i })],
        };
        OptionGroup Spice() => new()
        {
            ShopId = shopId,
            Name = "辣度",
            MinSelect = 1,
            MaxSelect = 1,
            Position = 1,
            Options = [.. Heat.Select((n, i) => new Option { ShopId = shopId, Name = n, Position = i })],
        };
        OptionGroup Extras() => new()
        {
            ShopId = shopId,
            Name = "加料",
            MinSelect = 0,
            MaxSelect = 3,
            Position = 2,
            Options =
            [
                new() { ShopId = shopId, Name = "加牛肉", PriceDelta = 800, Position = 0 },
                new() { ShopId = shopId, Name = "加蛋", PriceDelta = 300, Position = 1 },
                new() { ShopId = shopId, Name = "加面", PriceDelta = 300, Position = 2 },
            ],
        };
        Item Dish(string name, long price, string description, params OptionGroup[] groups) =>
            new() { ShopId = shopId, Name = name, Price = price, Description = description, TaxCategory = "food", OptionGroups = [.. groups] };

        var noodles = new Category
        {
            ShopId = shopId,
            Name = "面",
            Position = 0,
            Items =
            [
                Dish("牛肉拉面", 1800, "清汤、白萝卜、红油、香菜蒜苗，一清二白三红四绿。", Noodle(), Spice(), Extras()),
                Dish("酸菜牛肉面", 2000, "自家腌的酸菜，汤头酸香。", Noodle(), Spice(), Extras()),
                Dish("番茄鸡蛋面", 1600, "番茄现炒，鸡蛋嫩滑。", Noodle(), Extras()),
                Dish("炒拉面", 2200, "牛肉、青椒、洋葱，大火快炒。", Noodle(), Spice()),
            ],
        };
        var sides = new Category
        {
            ShopId = shopId,
            Name = "小吃",
            Position = 1,
            Items =
            [
                Dish("肉夹馍", 1200, "腊汁肉夹在白吉馍里。"),
                Dish("凉皮", 1200, "酸辣爽口，每天限量。", Spice()),
                Dish("凉拌黄瓜", 800, "蒜泥、香醋、辣油。"),
                Dish("卤蛋", 300, "牛肉汤里卤了一夜。"),
            ],
        };
        sides.Items[1].Stock = 20;
        var drinks = new Category
        {
            ShopId = shopId,
            Name = "饮品",
            Position = 2,
            Items = [Dish("酸梅汤", 600, "乌梅、山楂、桂花，冰镇。"), Dish("冰峰汽水", 500, "西安的橙味汽水。")],
        };
        foreach (var category in new[] { noodles, sides, drinks })
        {
            foreach (var (item, p) in category.Items.Select((item, p) => (item, p)))
            {
                item.Position = p;
            }
            db.Categories.Add(category);
        }
        for (var n = 1; n <= 8; n++)
        {
            db.Tables.Add(new ShopTable { ShopId = shopId, Code = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Name = $"{n}号桌", Seats = 4, Area = "大厅" });
        }
        await db.SaveChangesAsync(ct);
        DemoShop.Translate(db, shopId, "en", [noodles, sides, drinks], English);
    }

    /// <summary>The menu's words in English: name, and for items a description.</summary>
    private static readonly Dictionary<string, (string Name, string Description)> English = new()
    {
        ["面"] = ("Noodles", ""),
        ["小吃"] = ("Small plates", ""),
        ["饮品"] = ("Drinks", ""),
        ["牛肉拉面"] = ("Lanzhou beef noodles", "Clear broth, white radish, chili oil, coriander and garlic shoots."),
        ["酸菜牛肉面"] = ("Pickled cabbage beef noodles", "Our own pickled greens, a sour and fragrant broth."),
        ["番茄鸡蛋面"] = ("Tomato and egg noodles", "Tomatoes stir-fried to order, soft scrambled egg."),
        ["炒拉面"] = ("Fried hand-pulled noodles", "Beef, green pepper and onion, tossed over a high flame."),
        ["肉夹馍"] = ("Roujiamo", "Braised pork in a crisp flatbread."),
        ["凉皮"] = ("Liangpi cold noodles", "Sour and spicy; a limited batch each day."),
        ["凉拌黄瓜"] = ("Smashed cucumber", "Garlic, black vinegar, chili oil."),
        ["卤蛋"] = ("Braised egg", "Left overnight in the beef broth."),
        ["酸梅汤"] = ("Sour plum drink", "Smoked plum, hawthorn and osmanthus, iced."),
        ["冰峰汽水"] = ("Bingfeng orange soda", "The orange soda from Xi'an."),
        ["面型"] = ("Noodle shape", ""),
        ["毛细"] = ("Hair-thin", ""),
        ["细"] = ("Thin", ""),
        ["二细"] = ("Medium thin", ""),
        ["三细"] = ("Medium", ""),
        ["韭叶"] = ("Flat (chive leaf)", ""),
        ["宽"] = ("Wide", ""),
        ["大宽"] = ("Extra wide", ""),
        ["辣度"] = ("Spice", ""),
        ["不辣"] = ("Not spicy", ""),
        ["微辣"] = ("Mild", ""),
        ["中辣"] = ("Medium hot", ""),
        ["特辣"] = ("Very hot", ""),
        ["加料"] = ("Extras", ""),
        ["加牛肉"] = ("Extra beef", ""),
        ["加蛋"] = ("Add an egg", ""),
        ["加面"] = ("More noodles", ""),
    };
}
