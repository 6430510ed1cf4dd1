using System.Text.Json;
using Plaza.Federation.Discovery;

namespace Plaza.Federation.Tests.Discovery;

public sealed class NodeInfoTests
{
    [Fact]
    public void Nodeinfo_document_serialises_to_the_2_1_schema_shape()
    {
        var nodeInfo = new NodeInfoDocument
        {
            Software = new NodeInfoSoftware
            {
                Name = "plaza",
                Version = "0.1.0",
                Repository = "https://example.com/plaza.git",
                Homepage = "https://example.com/plaza",
            },
            OpenRegistrations = false,
            Usage = new NodeInfoUsage
            {
                Users = new NodeInfoUsers { Total = 12, ActiveMonth = 9, ActiveHalfyear = 11 },
                LocalPosts = 340,
            },
            Metadata = new Dictionary<string, JsonElement> { ["nodeName"] = JsonSerializer.SerializeToElement("Market Street") },
        };

        using var document = JsonDocument.Parse(nodeInfo.ToJson());
        var root = document.RootElement;

        Assert.Equal("2.1", root.GetProperty("version").GetString());
        Assert.Equal("plaza", root.GetProperty("software").GetProperty("name").GetString());
        Assert.Equal("https://example.com/plaza.git", root.GetProperty("software").GetProperty("repository").GetString());
        Assert.Equal(["activitypub"], root.GetProperty("protocols").EnumerateArray().Select(protocol => protocol.GetString()));
        Assert.Equal(0, root.GetProperty("services").GetProperty("inbound").GetArrayLength());
        Assert.Equal(0, root.GetProperty("services").GetProperty("outbound").GetArrayLength());
        Assert.False(root.GetProperty("openRegistrations").GetBoolean());
        Assert.Equal(12, root.GetProperty("usage").GetProperty("users").GetProperty("total").GetInt64());
        Assert.Equal(9, root.GetProperty("usage").GetProperty("users").GetProperty("activeMonth").GetInt64());
        Assert.Equal(11, root.GetProperty("usage").GetProperty("users").GetProperty("activeHalfyear").GetInt64());
        Assert.Equal(340, root.GetProperty("usage").GetProperty("localPosts").GetInt64());
        Assert.Equal("Market Street", root.GetProperty("metadata").GetProperty("nodeName").GetString());
    }

    [Fact]
    public void Nodeinfo_without_metadata_still_has_an_empty_metadata_object()
    {
        var nodeInfo = new NodeInfoDocument { Software = new NodeInfoSoftware { Name = "plaza", Version = "0.1.0" }, Usage = new NodeInfoUsage() };

        using var document = JsonDocument.Parse(nodeInfo.ToJson());

        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("usage").GetProperty("users").ValueKind);
        Assert.False(document.RootElement.GetProperty("software").TryGetProperty("repository", out _));
    }

    [Fact]
    public void Well_known_nodeinfo_links_to_the_2_1_document()
    {
        var links = NodeInfoLinks.For("https://shop.example/nodeinfo/2.1");

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(links, WebFinger.JsonOptions));
        var link = Assert.Single(document.RootElement.GetProperty("links").EnumerateArray());

        Assert.Equal("http://nodeinfo.diaspora.software/ns/schema/2.1", link.GetProperty("rel").GetString());
        Assert.Equal("https://shop.example/nodeinfo/2.1", link.GetProperty("href").GetString());
    }
}
