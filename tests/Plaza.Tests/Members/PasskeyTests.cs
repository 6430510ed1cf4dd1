using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Members;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Members;

/// <summary>
/// Members' passkeys over HTTP, as passkey.js calls the node: joining with a passkey alone, signing in with it on another
/// phone, each answer counting once, the pages' antiforgery token required, the phone number kept in E.164, and the
/// member's export and deletion covering their passkeys. <see cref="SoftAuthenticator"/> answers for the phone; the
/// browser tests do the same with Chromium's virtual authenticator.
/// </summary>
public sealed class PasskeyTests
{
    /// <summary>The in-memory node's public address (<c>Plaza:PublicUrl</c> in the tests): the origin passkeys are made for.</summary>
    private const string Origin = "http://localhost";

    [Theory]
    [InlineData("138 0013 8000", "CN", "+8613800138000")]
    [InlineData("１３８００１３８０００", "CN", "+8613800138000")]
    [InlineData("+86 138-0013-8000", "DE", "+8613800138000")]
    [InlineData("＋８６ １３８ ００１３ ８０００", "DE", "+8613800138000")]
    [InlineData("0086 138 0013 8000", "CN", "+8613800138000")]
    [InlineData("030 5550 0100", "DE", "+493055500100")]
    public void A_phone_number_is_kept_in_E164_however_it_was_typed(string typed, string region, string expected) =>
        Assert.Equal(expected, MemberPhones.Normalise(typed, region));

    [Theory]
    [InlineData("12345")]
    [InlineData("138 0013 800")]
    [InlineData("phone me")]
    [InlineData("+999 1234 5678")]
    [InlineData("")]
    public void A_number_that_is_no_phone_number_is_refused(string typed) => Assert.Null(MemberPhones.Normalise(typed, "CN"));

    [Theory]
    [InlineData("+49 30 5550 0100", "DE")]
    [InlineData("+86 21 5555 0100", "CN")]
    [InlineData("030 5550 0100", "CN")]
    [InlineData("", "CN")]
    public void A_number_without_a_country_code_is_read_in_the_country_of_the_shops_own_phone(string shopPhone, string region) =>
        Assert.Equal(region, MemberPhones.RegionOf(new Shop { Slug = "s", Name = "S", Currency = "EUR", TimeZone = "Europe/Berlin", Phone = shopPhone }));

    [Theory, MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_customer_joins_with_a_passkey_alone_signs_in_with_it_on_another_phone_and_each_answer_counts_once(Store store)
    {
        await using var app = await PlazaApp.StartAsync(store);
        var shop = await TestShops.CreateAsync(app);
        using var authenticator = new SoftAuthenticator(Origin);
        using var phone = ConsoleSession.Anonymous(app);

        var join = new JsonObject { ["name"] = "小林", ["phone"] = "138 0013 8000", ["offers"] = true };
        var joined = await CeremonyAsync(phone, $"/s/{shop.Slug}/join/passkey", join, authenticator.Create);
        Assert.Equal(HttpStatusCode.OK, joined.Response.StatusCode);
        Assert.Equal($"/s/{shop.Slug}/me", (await joined.Response.JsonAsync()).GetProperty("next").GetString());
        Assert.Contains("小林", await phone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);
        var member = await app.WithDb(shop.Shop, db => db.Members.SingleAsync());
        Assert.Equal((null, "小林", "+8613800138000"), (member.Email, member.Name, member.Phone));
        Assert.Equal("Send me " + shop.Shop.Name + "'s offers. I can stop them at any time on my member page.", member.MarketingConsentText);
        var passkey = await app.WithDb(shop.Shop, db => db.MemberPasskeys.SingleAsync());
        Assert.Equal(member.Id, passkey.MemberId);
        Assert.Equal(authenticator.CredentialId, passkey.CredentialId);
        Assert.Equal(authenticator.UserHandle, passkey.UserHandle);

        // The same answer again: its challenge is used, so nobody new joins.
        var replayedJoin = await PostAsync(phone, $"/s/{shop.Slug}/join/passkey", joined.Answer, await phone.TokenAsync($"/s/{shop.Slug}/me"));
        await Asserts.ProblemAsync(replayedJoin, HttpStatusCode.BadRequest, "passkey-refused");
        Assert.Equal(1, await app.WithDb(shop.Shop, db => db.Members.CountAsync()));

        // A new phone, the passkey synced to it: one tap, no address typed, and it is the same member.
        using var newPhone = ConsoleSession.Anonymous(app);
        var signedIn = await CeremonyAsync(newPhone, $"/s/{shop.Slug}/signin/passkey", [], authenticator.Get);
        Assert.Equal(HttpStatusCode.OK, signedIn.Response.StatusCode);
        Assert.Contains("小林", await newPhone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);
        var used = await app.WithDb(shop.Shop, db => db.MemberPasskeys.SingleAsync());
        Assert.Equal(1, used.SignCount);
        Assert.NotNull(used.LastUsedAt);

        // The signed answer replayed, from a browser that is not signed in: refused, and it stays signed out.
        using var thief = ConsoleSession.Anonymous(app);
        var replayedSignIn = await PostAsync(thief, $"/s/{shop.Slug}/signin/passkey", signedIn.Answer, await thief.TokenAsync($"/s/{shop.Slug}/join"));
        await Asserts.ProblemAsync(replayedSignIn, HttpStatusCode.BadRequest, "passkey-refused");
        Assert.Equal(HttpStatusCode.Redirect, (await thief.Client.GetAsync($"/s/{shop.Slug}/me")).StatusCode);
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.PasskeyCeremonies.CountAsync()));

        // The node's address is one relying party, but the passkey is this shop's member's: another shop does not know it.
        var other = await TestShops.CreateAsync(app);
        var elsewhere = await CeremonyAsync(thief, $"/s/{other.Slug}/signin/passkey", [], authenticator.Get);
        await Asserts.ProblemAsync(elsewhere.Response, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.Redirect, (await thief.Client.GetAsync($"/s/{other.Slug}/me")).StatusCode);
    }

    [Fact]
    public async Task A_signed_out_browser_cannot_add_a_passkey_and_another_sites_page_cannot_start_or_answer_a_ceremony()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        var token = await phone.TokenAsync($"/s/{shop.Slug}/join");

        await Asserts.ProblemAsync(await PostAsync(phone, $"/s/{shop.Slug}/me/passkeys/options", [], token), HttpStatusCode.Unauthorized, "unauthorized");
        var answer = new JsonObject { ["ceremony"] = "0123456789abcdef0123456789abcdef", ["credential"] = new JsonObject() };
        await Asserts.ProblemAsync(await PostAsync(phone, $"/s/{shop.Slug}/me/passkeys", answer, token), HttpStatusCode.Unauthorized, "unauthorized");

        // Without the page's token (another site's form or script cannot read it), nothing starts.
        foreach (var path in new[] { "join/passkey/options", "signin/passkey/options", "signin/passkey", "join/passkey" })
        {
            await Asserts.ProblemAsync(await PostAsync(phone, $"/s/{shop.Slug}/{path}", [], token: null), HttpStatusCode.Forbidden, "forbidden");
        }
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.PasskeyCeremonies.CountAsync()));
    }

    [Fact]
    public async Task A_phone_number_that_is_no_number_is_refused_with_a_clear_problem_before_any_passkey_is_made()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        using var phone = ConsoleSession.Anonymous(app);
        var token = await phone.TokenAsync($"/s/{shop.Slug}/join");

        var refused = await PostAsync(phone, $"/s/{shop.Slug}/join/passkey/options", new JsonObject { ["phone"] = "call me maybe" }, token);
        var problem = await Asserts.ProblemAsync(refused, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal("That is not a phone number we can read; check it, or leave it empty.", problem.GetProperty("errors").GetProperty("phone")[0].GetString());
        Assert.Equal(0, await app.WithDb(shop.Shop, db => db.PasskeyCeremonies.CountAsync()));

        // A good one starts the ceremony: a discoverable credential for the node's host, nothing personal kept with it.
        var started = await PostAsync(phone, $"/s/{shop.Slug}/join/passkey/options", new JsonObject { ["name"] = "Lin", ["phone"] = "１３８００１３８０００" }, token);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var options = (await started.JsonAsync()).GetProperty("publicKey");
        Assert.Equal("localhost", options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("required", options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        var ceremony = await app.WithDb(shop.Shop, db => db.PasskeyCeremonies.SingleAsync());
        Assert.DoesNotContain("13800138000", ceremony.Options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_adds_a_second_passkey_the_export_lists_both_and_after_deletion_none_is_left()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var shop = await TestShops.CreateAsync(app);
        using var first = new SoftAuthenticator(Origin);
        using var second = new SoftAuthenticator(Origin);
        using var phone = ConsoleSession.Anonymous(app);
        await CeremonyAsync(phone, $"/s/{shop.Slug}/join/passkey", new JsonObject { ["phone"] = "+86 138 0013 8000" }, first.Create);

        // The options name the passkey the member has, so the same phone does not make a second one.
        var added = await CeremonyAsync(phone, $"/s/{shop.Slug}/me/passkeys", new JsonObject { ["name"] = "Work tablet" }, options =>
        {
            Assert.Equal(Convert.ToBase64String(first.CredentialId).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                options.GetProperty("excludeCredentials")[0].GetProperty("id").GetString());
            return second.Create(options);
        });
        Assert.Equal(HttpStatusCode.OK, added.Response.StatusCode);
        Assert.Equal(first.UserHandle, second.UserHandle);
        Assert.Contains("Work tablet", await phone.Client.GetStringAsync($"/s/{shop.Slug}/me"), StringComparison.Ordinal);

        var export = await phone.Client.GetStringAsync($"/s/{shop.Slug}/me/export");
        var passkeys = JsonDocument.Parse(export).RootElement.GetProperty("passkeys");
        Assert.Equal(2, passkeys.GetArrayLength());
        Assert.Equal("Work tablet", passkeys[1].GetProperty("name").GetString());
        Assert.Contains("+8613800138000", export, StringComparison.Ordinal);
        Assert.DoesNotContain("publicKey", export, StringComparison.OrdinalIgnoreCase);

        var deleted = await phone.PostFormAsync($"/s/{shop.Slug}/me/delete", new() { ["confirm"] = "true" }, await phone.TokenAsync($"/s/{shop.Slug}/me"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal((0, 0, 0), await app.WithDb(null, async db => (
            await db.Members.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(),
            await db.MemberPasskeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync(),
            await db.PasskeyCeremonies.IgnoreQueryFilters([PlazaDb.ShopFilter]).CountAsync())));
        var dump = await MemberTests.AllTextAsync(app);
        Assert.DoesNotContain("8613800138000", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Work tablet", dump, StringComparison.Ordinal);

        // The passkey opens nothing now.
        using var again = ConsoleSession.Anonymous(app);
        var refused = await CeremonyAsync(again, $"/s/{shop.Slug}/signin/passkey", [], first.Get);
        await Asserts.ProblemAsync(refused.Response, HttpStatusCode.NotFound, "not-found");
    }

    /// <summary>
    /// One ceremony as passkey.js runs it: the options (with <paramref name="fields"/>), the authenticator's answer to them,
    /// and the answer posted with the same fields. Returns the answer's response and the body sent, to replay.
    /// </summary>
    private static async Task<(HttpResponseMessage Response, JsonObject Answer)> CeremonyAsync(ConsoleSession phone, string path, JsonObject fields,
        Func<JsonElement, JsonObject> authenticator)
    {
        // The page the form is on: the member page to add one, the join page to join or sign in.
        var slug = path.Split('/')[2];
        var token = await phone.TokenAsync(path.Contains("/me/", StringComparison.Ordinal) ? $"/s/{slug}/me" : $"/s/{slug}/join");
        var options = await PostAsync(phone, path + "/options", fields.DeepClone().AsObject(), token);
        Assert.True(options.StatusCode == HttpStatusCode.OK, await options.Content.ReadAsStringAsync());
        var started = await options.JsonAsync();
        var answer = fields.DeepClone().AsObject();
        answer["ceremony"] = started.GetProperty("ceremony").GetString();
        answer["credential"] = authenticator(started.GetProperty("publicKey"));
        return (await PostAsync(phone, path, answer.DeepClone().AsObject(), token), answer);
    }

    private static async Task<HttpResponseMessage> PostAsync(ConsoleSession phone, string path, JsonObject body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        return await phone.Client.SendAsync(request);
    }
}
