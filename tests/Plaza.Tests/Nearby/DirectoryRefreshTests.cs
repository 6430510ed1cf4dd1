using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plaza.Features.Nearby;
using Plaza.Tests.Federation;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Nearby;

/// <summary>The directory refreshes known shops and drops the ones that are gone or long silent.</summary>
public sealed class DirectoryRefreshTests
{
    private static KnownShop Known(string actorId, string name, TimeSpan seenAgo) => new()
    {
        ActorId = actorId,
        Domain = new Uri(actorId).Host,
        Name = name,
        StorefrontUrl = actorId.Replace("/users/", "/s/", StringComparison.Ordinal),
        Latitude = 52.5,
        Longitude = 13.4,
        Source = KnownShopSource.Followed,
        LastSeenAt = DateTime.UtcNow - seenAgo,
    };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_refresh_updates_live_shops_and_drops_gone_ones_and_ones_silent_for_too_long(Store store)
    {
        FakePeer? peer = null;
        // A long interval: the test runs the round itself rather than racing the background one.
        await using var app = await PlazaApp.StartAsync(store, configure: a =>
        {
            peer = FakePeer.For(a);
            a.Settings["Plaza:Nearby:RefreshInterval"] = "01:00:00";
            a.Settings["Plaza:Nearby:DropAfter"] = "3.00:00:00";
        });
        var renamed = peer!.AddActor("noodles");
        peer.Describe(renamed, new JsonObject
        {
            ["type"] = "Organization",
            ["name"] = "Noodle bar (new owners)",
            ["url"] = "https://peer.example/s/noodles",
            ["location"] = new JsonObject { ["type"] = "Place", ["latitude"] = 52.5030, ["longitude"] = 13.4250 },
        });
        var person = peer.AddActor("bob"); // once a shop, now an account without a place
        peer.FetchStatus = uri => uri.Host == "down.example" ? HttpStatusCode.ServiceUnavailable : null;
        await app.WithDb(null, async db =>
        {
            db.KnownShops.AddRange(
                Known(renamed.Id, "Noodle bar", TimeSpan.FromHours(2)),
                Known(person.Id, "Bob's", TimeSpan.FromHours(2)),
                Known("https://peer.example/users/closed", "Closed for good", TimeSpan.FromHours(2)),
                Known("https://down.example/users/briefly", "Down since yesterday", TimeSpan.FromDays(1)),
                Known("https://down.example/users/long", "Down for a week", TimeSpan.FromDays(7)),
                Known("https://peer.example/users/fresh", "Seen a minute ago", TimeSpan.FromMinutes(1)));
            return await db.SaveChangesAsync();
        });

        var refresh = app.Services.GetServices<IHostedService>().OfType<DirectoryRefresh>().Single();
        Assert.Equal(3, await refresh.RefreshAsync(CancellationToken.None));

        var left = await app.WithDb(null, db => db.KnownShops.AsNoTracking().OrderBy(s => s.Name).ToListAsync());
        Assert.Equal(["Down since yesterday", "Noodle bar (new owners)", "Seen a minute ago"], left.Select(s => s.Name));
        var noodles = left.Single(s => s.ActorId == renamed.Id);
        Assert.InRange(noodles.LastSeenAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(52.5030, noodles.Latitude);
        Assert.DoesNotContain(peer.Fetches, uri => uri.AbsolutePath.EndsWith("/fresh", StringComparison.Ordinal));
    }
}
