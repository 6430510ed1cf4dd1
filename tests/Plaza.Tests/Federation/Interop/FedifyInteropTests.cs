using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Plaza.Features.Federation;
using Plaza.Features.Catalog;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Federation.Interop;

/// <summary>
/// Plaza against an independent ActivityPub implementation: a Fedify 2.3.6 server on Node 22,
/// both on HTTPS with a local CA, talking over real sockets.
/// </summary>
public sealed class FedifyInteropTests
{
    [Fact]
    public async Task A_Fedify_server_finds_follows_and_hears_from_a_shop_and_the_shop_follows_it_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "plaza-interop-tls", Guid.NewGuid().ToString("N"));
        using var tls = new LocalTls(dir);
        await using var node = await FreePort.BindAsync(port => TlsNode.StartAsync(tls, port));
        using var http = new HttpClient(FederationHttp.CreateHandler(new FederationOptions { AllowedPrivateHosts = ["localhost"], TrustedCaFile = tls.CaFile }));
        await using var peer = await FedifyPeer.StartAsync(tls, FreePort.Next(), http);
        var shopActor = node.Origin + "/actors/demo";
        var handle = $"acct:{DemoShop.Slug}@localhost:{new Uri(node.Origin).Port}";

        // The peer looks the shop up by WebFinger (over HTTPS) and follows it; the shop accepts.
        var found = await peer.ControlAsync("follow", new { handle });
        Assert.True(found.GetProperty("found").GetBoolean(), $"Fedify could not look up {handle}:\n{peer.Output}");
        Assert.Equal(shopActor, found.GetProperty("id").GetString());
        Assert.Equal("Organization", found.GetProperty("type").GetString());
        Assert.Equal("demo", found.GetProperty("preferredUsername").GetString());
        await peer.WaitForEventAsync(e => Is(e, "Accept") && e.GetProperty("actor").GetString() == shopActor, "the peer receives the shop's Accept");

        // The owner posts a promotion; the peer receives Create(Note), which Fedify only passes on after verifying its signature.
        using var staff = new HttpClient(FederationHttp.CreateHandler(new FederationOptions { AllowedPrivateHosts = ["localhost"], TrustedCaFile = tls.CaFile }));
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await node.OwnerTokenAsync(DemoShop.Slug));
        string noteUrl, promotionId;
        using (var posted = await staff.PostAsJsonAsync($"{node.Origin}/api/v1/shops/demo/promotions", new { text = "Fresh cinnamon buns, half price until noon." }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var created = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement;
            noteUrl = created.GetProperty("url").GetString()!;
            promotionId = created.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var create = await peer.WaitForEventAsync(e => Is(e, "Create") && e.GetProperty("actor").GetString() == shopActor, "the peer receives the promotion");
        Assert.Equal("Note", create.GetProperty("objectType").GetString());
        Assert.Equal("draft-cavage", create.GetProperty("signature").GetString()); // Plaza knocks with draft-cavage first
        Assert.Equal(noteUrl, create.GetProperty("objectId").GetString());

        // An edit reaches the peer as Update(Note), which Fedify too passes on only once its signature verifies.
        using (var edited = await staff.PutAsJsonAsync($"{node.Origin}/api/v1/shops/demo/promotions/{promotionId}", new { text = "Cinnamon buns: half price all day." }))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }
        var update = await peer.WaitForEventAsync(e => Is(e, "Update") && e.GetProperty("actor").GetString() == shopActor, "the peer receives the edit");
        Assert.Equal(("Note", noteUrl), (update.GetProperty("objectType").GetString(), update.GetProperty("objectId").GetString()));
        Assert.Contains("Cinnamon buns: half price all day.", update.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(update.GetProperty("updated").GetString()));

        // Taking the promotion down reaches the peer as a Delete of the Note.
        using (var deleted = await staff.DeleteAsync($"{node.Origin}/api/v1/shops/demo/promotions/{promotionId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        await peer.WaitForEventAsync(e => Is(e, "Delete") && e.GetProperty("object").GetString() == noteUrl, "the peer receives the Delete");
        Assert.Contains("Fresh cinnamon buns, half price until noon.", create.GetProperty("content").GetString(), StringComparison.Ordinal);

        // The shop follows the peer back and sees the Fedify server accept.
        using (var follow = await staff.PostAsJsonAsync($"{node.Origin}/api/v1/shops/demo/following", new { account = $"acct:peer@localhost:{peer.Port}" }))
        {
            var body = await follow.Content.ReadAsStringAsync();
            Assert.True(follow.StatusCode == HttpStatusCode.Accepted, $"{(int)follow.StatusCode} {body}");
        }
        await peer.WaitForEventAsync(e => Is(e, "Follow") && e.GetProperty("actor").GetString() == shopActor, "the peer receives the shop's Follow");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var following = JsonDocument.Parse(await staff.GetStringAsync($"{node.Origin}/api/v1/shops/demo/following")).RootElement;
            if (following.EnumerateArray().Any(f => f.GetProperty("actor").GetString() == peer.ActorId && f.GetProperty("accepted").GetBoolean()))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The shop never saw its follow accepted: {following}\n{peer.Output}");
            await Task.Delay(200);
        }

        // Activities Fedify signs in either format are accepted; one changed after signing is refused.
        foreach (var spec in new[] { "rfc9421", "draft-cavage-http-signatures-12" })
        {
            var sent = await peer.ControlAsync("send-signed", new { inbox = shopActor + "/inbox", spec, tamper = false });
            Assert.True(sent.GetProperty("status").GetInt32() == 202, $"{spec}: {sent}");
            Assert.True(await node.StoredActivityAsync(sent.GetProperty("activityId").GetString()!), $"{spec}: the activity was not stored");
        }
        var tampered = await peer.ControlAsync("send-signed", new { inbox = node.Origin + "/inbox", spec = "rfc9421", tamper = true });
        Assert.Equal(401, tampered.GetProperty("status").GetInt32());
        Assert.False(await node.StoredActivityAsync(tampered.GetProperty("activityId").GetString()!));
    }

    private static bool Is(JsonElement e, string type) => e.GetProperty("type").GetString() == type;
}
