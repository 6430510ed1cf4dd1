using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Console;
using Plaza.Features.Ordering;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Console;

/// <summary>Invitation links: one use each, however many times they are posted at once, and revocable until used.</summary>
public sealed partial class InvitationTests
{
    private static async Task<string> InviteAsync(PlazaApp app, TestShop shop)
    {
        var token = StaffToken.NewToken();
        await app.WithDb(shop.Shop, db =>
        {
            db.Invitations.Add(new Invitation { ShopId = shop.Shop.Id, TokenHash = StaffToken.Hash(token), Role = ShopRole.Staff, ExpiresAt = DateTime.UtcNow.AddDays(7) });
            return db.SaveChangesAsync();
        });
        return "/console/join/" + token;
    }

    private static Dictionary<string, string> Joiner(int n) =>
        new() { ["Name"] = $"Joiner {n}", ["Email"] = $"joiner{n}@example.com", ["Password"] = "a long enough password" };

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Ten_people_posting_one_invitation_at_once_make_exactly_one_member(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await CreateAsync(app);
        var link = await InviteAsync(app, shop);
        var people = Enumerable.Range(0, 10).Select(_ => ConsoleSession.Anonymous(app)).ToList();
        var forms = new List<string>();
        foreach (var person in people)
        {
            forms.Add(await person.TokenAsync(link));
        }

        var answers = await Task.WhenAll(people.Select((person, n) => person.PostFormAsync(link, Joiner(n), forms[n])));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.NotFound }));
        var (members, accounts) = await app.WithDb(null, async db => (
            await db.Memberships.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(m => m.ShopId == shop.Shop.Id),
            await db.Accounts.CountAsync(a => a.Email.StartsWith("joiner"))));
        Assert.Equal((1, 1), (members, accounts)); // the refused ones left no account behind either
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task An_owner_revokes_an_open_invitation_and_its_link_stops_working()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await CreateAsync(app);
        using var owner = await ConsoleSession.SignedInAsync(app, "owner@example.com", (shop, ShopRole.Owner));
        var staffPage = $"/console/{shop.Slug}/staff";
        var invited = await owner.PostFormAsync(staffPage + "?handler=Invite", new() { ["role"] = "Staff" }, await owner.TokenAsync(staffPage));
        var link = new Uri(InviteLink().Match(await invited.Content.ReadAsStringAsync()).Groups[1].Value).PathAndQuery;
        using var newcomer = ConsoleSession.Anonymous(app);
        var form = await newcomer.TokenAsync(link); // opened before the owner changes their mind

        var listed = await owner.Client.GetStringAsync(staffPage);
        var revoke = RevokeForm().Match(listed);
        Assert.True(revoke.Success, "The staff page lists the open invitation with a revoke button.");
        var revoked = await owner.PostFormAsync(WebUtility.HtmlDecode(revoke.Groups[1].Value), [], await owner.TokenAsync(staffPage));

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.DoesNotMatch(RevokeForm(), await owner.Client.GetStringAsync(staffPage));
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.Client.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.PostFormAsync(link, Joiner(1), form)).StatusCode);
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Memberships.CountAsync()));
        Assert.Equal(0, await app.WithDb(null, db => db.Accounts.CountAsync(a => a.Email == "joiner1@example.com")));
    }

    [Fact]
    public async Task Invitation_posts_from_one_address_are_rate_limited_and_the_link_still_works_from_another()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:RateLimits:SignInsPerMinute"] = "3");
        var shop = await CreateAsync(app);
        var link = await InviteAsync(app, shop);
        using var guesser = ConsoleSession.From(app, IPAddress.Parse("203.0.113.7"));
        var tooShort = new Dictionary<string, string> { ["Name"] = "Eve", ["Email"] = "eve@example.com", ["Password"] = "short" };

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            statuses.Add((await guesser.PostFormAsync(link, new(tooShort), await guesser.TokenAsync(link))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        using var newcomer = ConsoleSession.From(app, IPAddress.Parse("198.51.100.20"));
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.PostFormAsync(link, Joiner(1), await newcomer.TokenAsync(link))).StatusCode);
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Memberships.CountAsync()));
    }

    [GeneratedRegex("id=\"invite-link\">([^<]+)<")]
    private static partial Regex InviteLink();

    [GeneratedRegex("action=\"([^\"]*handler=RevokeInvitation[^\"]*)\"")]
    private static partial Regex RevokeForm();
}
