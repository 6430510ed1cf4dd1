namespace Plaza.Federation.ActivityStreams;

/// <summary>The media types of ActivityStreams documents and content negotiation for them.</summary>
public static class ActivityStreamsMediaTypes
{
    /// <summary>The media type Mastodon and most servers send and ask for.</summary>
    public const string Activity = "application/activity+json";

    /// <summary>The media type the ActivityPub specification names for requests.</summary>
    public const string LinkedData = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    /// <summary>The profile URI that marks JSON-LD as ActivityStreams.</summary>
    public const string Profile = "https://www.w3.org/ns/activitystreams";

    /// <summary>
    /// Whether an <c>Accept</c> header asks for ActivityStreams: it lists
    /// <c>application/activity+json</c>, or <c>application/ld+json</c> with the ActivityStreams
    /// profile or with no profile, at a quality above zero. Browsers list neither, so they get HTML.
    /// </summary>
    public static bool AcceptsActivityStreams(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return false;
        }

        foreach (var range in accept.Split(','))
        {
            if (IsActivityStreams(range, out var quality) && quality > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a <c>Content-Type</c> value names an ActivityStreams document.</summary>
    public static bool IsActivityStreams(string? contentType) => IsActivityStreams(contentType, out _);

    private static bool IsActivityStreams(string? mediaType, out double quality)
    {
        quality = 1;
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return false;
        }

        var parts = mediaType.Split(';');
        var type = parts[0].Trim();
        string? profile = null;
        foreach (var parameter in parts.Skip(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            var name = parameter[..equals].Trim();
            var value = parameter[(equals + 1)..].Trim().Trim('"');
            if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                quality = double.TryParse(
                    value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q)
                    ? q
                    : 0;
            }
            else if (name.Equals("profile", StringComparison.OrdinalIgnoreCase))
            {
                profile = value;
            }
        }

        if (type.Equals(Activity, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The profile parameter may list several space-separated URIs (RFC 6906).
        return type.Equals("application/ld+json", StringComparison.OrdinalIgnoreCase)
            && (profile is null || profile.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(Profile, StringComparer.Ordinal));
    }
}
