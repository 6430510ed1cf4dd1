using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Features.Catalog;
using Plaza.Features.Nearby;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Nearby;

public sealed class NearbyTests
{
    // Kreuzberg, Berlin: the demo café is at 52.5010, 13.4190.
    private const string Here = "lat=52.4990&lon=13.4180";

    private static void At(Shop shop, double lat, double lon, string name)
    {
        shop.Latitude = lat;
        shop.Longitude = lon;
        shop.Name = name;
    }

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Shops_within_the_radius_are_listed_nearest_first_with_their_storefronts(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var near = await CreateAsync(app, s => At(s, 52.4995, 13.4185, "Corner bakery"));
        await CreateAsync(app, s => At(s, 52.39, 13.06, "Potsdam deli")); // ~28 km away
        await app.WithDb(null, async db =>
        {
            db.KnownShops.Add(new KnownShop
            {
                ActorId = "https://other.example/actors/noodles",
                Domain = "other.example",
                Name = "Noodle bar on another node",
                StorefrontUrl = "https://other.example/s/noodles",
                Latitude = 52.5030,
                Longitude = 13.4250,
                TimeZone = "Europe/Berlin",
                OpeningHours = NearbyQuery.FormatHours(DemoShop.Build().OpeningHours),
                LastSeenAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var shops = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/nearby?{Here}&radiusKm=5");

        var names = shops.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Corner bakery", "Plaza Demo Café", "Noodle bar on another node"], names);
        var distances = shops.EnumerateArray().Select(s => s.GetProperty("distanceKm").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.EndsWith($"/s/{near.Slug}/c/nearby", shops[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://other.example/s/noodles", shops[2].GetProperty("url").GetString());
        Assert.False(shops[2].GetProperty("local").GetBoolean());
    }

    [Fact]
    public async Task Closed_shops_are_left_out_unless_asked_for()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        await CreateAsync(app, s =>
        {
            At(s, 52.4991, 13.4181, "Night owl");
            s.OpeningHours = [];
        });

        var open = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/nearby?{Here}&radiusKm=1");
        var all = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/nearby?{Here}&radiusKm=1&openOnly=false");

        Assert.DoesNotContain(open.EnumerateArray(), s => s.GetProperty("name").GetString() == "Night owl");
        Assert.Contains(all.EnumerateArray(), s => s.GetProperty("name").GetString() == "Night owl" && !s.GetProperty("openNow").GetBoolean());
    }

    [Fact]
    public async Task A_missing_position_or_a_huge_radius_gets_field_errors()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);

        var response = await app.CreateClient().GetAsync("/api/v1/nearby?lat=95&radiusKm=500");

        var problem = await Asserts.ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        Asserts.HasFieldError(problem, "lat");
        Asserts.HasFieldError(problem, "lon");
        Asserts.HasFieldError(problem, "radiusKm");
    }

    [Fact]
    public async Task The_nearby_page_lists_shops_without_javascript()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);

        var html = await app.CreateClient().GetStringAsync($"/nearby?{Here}&radiusKm=2");

        Assert.Contains("Plaza Demo Café", html, StringComparison.Ordinal);
        Assert.Contains("/s/demo", html, StringComparison.Ordinal);
        Assert.Contains("0.2 km", html, StringComparison.Ordinal);
    }
}
