namespace Plaza.Common;

/// <summary>
/// Where people and peers reach the node, <c>Plaza:PublicUrl</c>. Absolute links are built from it
/// and never from the request: behind a proxy the request's scheme and Host are the proxy's, and a
/// Host header says whatever the client put in it.
/// </summary>
public sealed class PublicOrigin(Uri url, bool configured = true)
{
    public static PublicOrigin From(IConfiguration configuration) =>
        configuration["Plaza:PublicUrl"] is { Length: > 0 } value ? new(new Uri(value)) : new(new Uri("http://localhost:5000"), configured: false);

    public Uri Url => url;

    /// <summary>False when <c>Plaza:PublicUrl</c> is unset and links fall back to <c>http://localhost:5000</c>.</summary>
    public bool IsConfigured => configured;

    /// <summary>Browsers reach the node over TLS (at the node or at its proxy): cookies are Secure, HSTS is sent.</summary>
    public bool IsHttps => url.Scheme == Uri.UriSchemeHttps;

    public string Origin => url.GetLeftPart(UriPartial.Authority);

    /// <summary>An absolute link to <paramref name="path"/> (starting with <c>/</c>) on this node.</summary>
    public string Link(string path) => Origin + path;
}
