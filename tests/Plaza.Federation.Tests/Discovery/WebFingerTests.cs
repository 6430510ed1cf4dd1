using System.Text.Json;
using Plaza.Federation.Discovery;

namespace Plaza.Federation.Tests.Discovery;

public sealed class WebFingerTests
{
    [Theory]
    [InlineData("acct:bakery@shop.example", "bakery", "shop.example")]
    [InlineData("bakery@shop.example", "bakery", "shop.example")]
    [InlineData("ACCT:bakery@Shop.Example", "bakery", "shop.example")]
    [InlineData("acct:corner_bakery@shop.example:8443", "corner_bakery", "shop.example:8443")]
    [InlineData("acct:bakery@127.0.0.1", "bakery", "127.0.0.1")]
    [InlineData("acct:bakery@[::1]:5001", "bakery", "[::1]:5001")]
    public void Acct_resource_is_parsed(string resource, string user, string host)
    {
        Assert.True(AcctUri.TryParse(resource, out var account));
        Assert.Equal(user, account.User);
        Assert.Equal(host, account.Host);
        Assert.Equal($"acct:{user}@{host}", account.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("acct:")]
    [InlineData("bakery")]
    [InlineData("acct:bakery")]
    [InlineData("acct:@shop.example")]
    [InlineData("acct:bakery@")]
    [InlineData("@bakery@shop.example")]
    [InlineData("acct:bakery@shop@example")]
    [InlineData("acct:bak ery@shop.example")]
    [InlineData("acct:bakery@shop example")]
    [InlineData("acct:bakery@shop.example/path")]
    [InlineData("acct:bakery@shop.example?x=1")]
    [InlineData("acct:bakery@shop.example:0")]
    [InlineData("acct:bakery@shop.example:99999")]
    [InlineData("https://shop.example/actors/bakery")]
    [InlineData("mailto:bakery@shop.example")]
    public void Malformed_resource_is_rejected(string? resource)
    {
        Assert.False(AcctUri.TryParse(resource, out _));
    }

    [Fact]
    public void Parse_throws_on_a_malformed_resource()
    {
        Assert.Throws<FormatException>(() => AcctUri.Parse("nobody"));
    }

    [Fact]
    public void Shop_descriptor_links_the_actor_as_activity_json_and_the_profile_page()
    {
        var descriptor = JsonResourceDescriptor.ForActor(
            AcctUri.Parse("acct:bakery@shop.example"), "https://shop.example/actors/bakery", "https://shop.example/s/bakery");

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(descriptor, WebFinger.JsonOptions));
        var root = document.RootElement;

        Assert.Equal("acct:bakery@shop.example", root.GetProperty("subject").GetString());
        var self = root.GetProperty("links")[0];
        Assert.Equal("self", self.GetProperty("rel").GetString());
        Assert.Equal("application/activity+json", self.GetProperty("type").GetString());
        Assert.Equal("https://shop.example/actors/bakery", self.GetProperty("href").GetString());
        var profile = root.GetProperty("links")[1];
        Assert.Equal("http://webfinger.net/rel/profile-page", profile.GetProperty("rel").GetString());
        Assert.Equal("text/html", profile.GetProperty("type").GetString());
        Assert.False(self.TryGetProperty("template", out _));
        Assert.Equal("https://shop.example/actors/bakery", descriptor.ActorId);
    }

    [Fact]
    public void Mastodon_webfinger_answer_yields_the_actor()
    {
        const string json = """
            {
              "subject": "acct:marta@social.example",
              "aliases": ["https://social.example/@marta", "https://social.example/users/marta"],
              "links": [
                {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": "https://social.example/@marta"},
                {"rel": "self", "type": "application/activity+json", "href": "https://social.example/users/marta"},
                {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": "https://social.example/authorize_interaction?uri={uri}"},
                {"rel": "http://webfinger.net/rel/avatar", "type": "image/png", "href": "https://files.social.example/avatar.png"}
              ]
            }
            """;

        var descriptor = JsonSerializer.Deserialize<JsonResourceDescriptor>(json, WebFinger.JsonOptions);

        Assert.Equal("https://social.example/users/marta", descriptor?.ActorId);
        Assert.Equal("https://social.example/authorize_interaction?uri={uri}", descriptor?.Links[2].Template);
    }
}
