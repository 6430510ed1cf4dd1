namespace Plaza.Federation.Signatures;

/// <summary>
/// The parts of an HTTP request a signature covers: method, target URI, header fields and body.
/// Transport-neutral, so a web host can describe the request it received without this library
/// knowing its framework; the signers build one from an <see cref="HttpRequestMessage"/>.
/// </summary>
public sealed class SignableRequest
{
    private readonly Dictionary<string, List<string>> headers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes a request.</summary>
    /// <param name="method">The method, e.g. <c>POST</c>.</param>
    /// <param name="targetUri">
    /// The absolute target URI as the client addressed it, e.g. <c>https://shop.example/inbox?x=1</c>:
    /// scheme, the <c>Host</c> the request arrived with, and the path and query exactly as they were
    /// on the request line (not decoded), since signatures cover those bytes.
    /// </param>
    /// <param name="headers">Header fields as (name, value) pairs; a field sent several times appears several times.</param>
    /// <param name="body">The raw body, empty when there is none.</param>
    /// <exception cref="ArgumentException"><paramref name="targetUri"/> is not an absolute http(s) URI.</exception>
    public SignableRequest(
        string method, string targetUri, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(targetUri);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        Body = body;

        var schemeEnd = targetUri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new ArgumentException("The target URI must be absolute.", nameof(targetUri));
        }

        var withoutFragment = targetUri.Split('#', 2)[0];
        var authorityStart = schemeEnd + 3;
        var authorityEnd = withoutFragment.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = withoutFragment.Length;
        }

        Scheme = withoutFragment[..schemeEnd].ToLowerInvariant();
        Authority = withoutFragment[authorityStart..authorityEnd];
        if (Authority.Length == 0)
        {
            throw new ArgumentException("The target URI must name a host.", nameof(targetUri));
        }

        var pathAndQuery = withoutFragment[authorityEnd..];
        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        Path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        Query = queryStart < 0 ? null : pathAndQuery[(queryStart + 1)..];
        if (Path.Length == 0)
        {
            // RFC 9110 §4.2.3: an empty path is the same resource as "/".
            Path = "/";
        }

        TargetUri = $"{Scheme}://{Authority}{RequestTarget}";

        foreach (var (name, value) in headers)
        {
            if (!this.headers.TryGetValue(name, out var values))
            {
                values = [];
                this.headers[name] = values;
            }

            values.Add(value);
        }
    }

    /// <summary>The method as sent, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The absolute target URI without fragment: <c>scheme://authority/path?query</c>.</summary>
    public string TargetUri { get; }

    /// <summary>The scheme, lowercase.</summary>
    public string Scheme { get; }

    /// <summary>The authority as written in the target URI (host and optional port).</summary>
    public string Authority { get; }

    /// <summary>The path, still percent-encoded; <c>/</c> when empty.</summary>
    public string Path { get; }

    /// <summary>The query without its leading <c>?</c>; null when the URI has no <c>?</c>.</summary>
    public string? Query { get; }

    /// <summary>The path and query as on an HTTP/1.1 request line: <c>/path?query</c>.</summary>
    public string RequestTarget => Query is null ? Path : $"{Path}?{Query}";

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The names of the header fields present.</summary>
    public IEnumerable<string> HeaderNames => headers.Keys;

    /// <summary>
    /// The field's value with the instances combined as HTTP does (RFC 9110 §5.3): each value
    /// trimmed, joined by <c>", "</c>. Null when the field is absent.
    /// </summary>
    public string? Header(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return headers.TryGetValue(name, out var values)
            ? string.Join(", ", values.Select(value => value.Trim()))
            : null;
    }

    /// <summary>Describes an outgoing request, reading its content so a digest can cover it.</summary>
    /// <exception cref="ArgumentException">The request has no absolute <see cref="HttpRequestMessage.RequestUri"/>.</exception>
    public static async Task<SignableRequest> FromHttpRequestMessageAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException("The request needs an absolute RequestUri.", nameof(request));

        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        var fields = new List<KeyValuePair<string, string>>();
        AddAll(fields, request.Headers);
        if (request.Content is not null)
        {
            AddAll(fields, request.Content.Headers);
        }

        // The target HttpClient puts on the wire: the escaped path and query, no fragment.
        var target = $"{uri.Scheme}://{HostHeaderFor(uri)}{uri.PathAndQuery}";
        return new SignableRequest(request.Method.Method, target, fields, body);
    }

    /// <summary>The <c>Host</c> value HttpClient sends for <paramref name="uri"/>: host, plus the port when it is not the default.</summary>
    public static string HostHeaderFor(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
    }

    private static void AddAll(List<KeyValuePair<string, string>> fields, System.Net.Http.Headers.HttpHeaders source)
    {
        foreach (var (name, values) in source.NonValidated)
        {
            foreach (var value in values)
            {
                fields.Add(new(name, value));
            }
        }
    }
}
