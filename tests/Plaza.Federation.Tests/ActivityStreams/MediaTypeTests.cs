using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Tests.ActivityStreams;

public sealed class MediaTypeTests
{
    [Theory]
    [InlineData("application/activity+json")]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")]
    [InlineData("application/ld+json")]
    [InlineData("Application/Activity+JSON")]
    [InlineData("text/html;q=0.9, application/activity+json")]
    [InlineData("application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", application/json")]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams https://example.com/other\"")]
    public void Accept_header_asking_for_activity_streams_is_recognised(string accept)
    {
        Assert.True(ActivityStreamsMediaTypes.AcceptsActivityStreams(accept));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("application/json")]
    [InlineData("application/activity+json;q=0")]
    [InlineData("application/ld+json; profile=\"https://example.com/other\"")]
    public void Accept_header_of_a_browser_or_other_client_is_not_activity_streams(string? accept)
    {
        Assert.False(ActivityStreamsMediaTypes.AcceptsActivityStreams(accept));
    }

    [Fact]
    public void Content_type_of_an_inbox_post_is_recognised()
    {
        Assert.True(ActivityStreamsMediaTypes.IsActivityStreams("application/activity+json; charset=utf-8"));
        Assert.False(ActivityStreamsMediaTypes.IsActivityStreams("text/plain"));
    }
}
