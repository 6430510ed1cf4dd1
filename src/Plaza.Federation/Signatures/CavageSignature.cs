using System.Globalization;
using System.Text;

namespace Plaza.Federation.Signatures;

/// <summary>
/// draft-cavage-http-signatures-12 as Mastodon uses it: a <c>Signature</c> field with
/// <c>keyId</c>, <c>algorithm="rsa-sha256"</c>, <c>headers</c> and <c>signature</c>, RSASSA-PKCS1-v1_5
/// with SHA-256, and a <c>Digest</c> field for bodies.
/// </summary>
public static class CavageSignature
{
    /// <summary>The headers Plaza signs on requests without a body (a GET for a document).</summary>
    public static readonly IReadOnlyList<string> HeadersWithoutBody = ["(request-target)", "host", "date"];

    /// <summary>The headers Plaza signs on requests with a body (a POST to an inbox).</summary>
    public static readonly IReadOnlyList<string> HeadersWithBody = ["(request-target)", "host", "date", "digest"];

    /// <summary>
    /// Signs <paramref name="request"/>: sets <c>Host</c> and <c>Date</c> (now), <c>Digest</c> when it has
    /// content, and <c>Signature</c>, replacing any signature fields already present so one request
    /// never carries both formats.
    /// </summary>
    public static Task SignAsync(
        HttpRequestMessage request, SigningKey key, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        SignAsync(request, key, timeProvider, coveredHeaders: null, cancellationToken);

    /// <summary>
    /// Signs <paramref name="request"/> covering <paramref name="coveredHeaders"/> (by default
    /// <see cref="HeadersWithoutBody"/>, or <see cref="HeadersWithBody"/> when it has content); sets
    /// <c>Host</c>, <c>Date</c> and, with content, <c>Digest</c> as the other overload does.
    /// </summary>
    public static async Task SignAsync(
        HttpRequestMessage request, SigningKey key, TimeProvider timeProvider, IReadOnlyList<string>? coveredHeaders,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
        SignatureFields.RemoveAll(request);

        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new ArgumentException("The request needs an absolute RequestUri.", nameof(request));

        // Set what HttpClient would add itself, so the signed values are the sent values.
        request.Headers.Host = SignableRequest.HostHeaderFor(uri);
        request.Headers.Date = timeProvider.GetUtcNow();
        var headers = HeadersWithoutBody;
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            request.Headers.TryAddWithoutValidation("Digest", BodyDigest.DigestFieldValue(body));
            headers = HeadersWithBody;
        }

        headers = coveredHeaders ?? headers;
        var described = await SignableRequest.FromHttpRequestMessageAsync(request, cancellationToken).ConfigureAwait(false);
        if (!TryBuildSigningString(described, headers, null, null, out var signingString, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var signature = RsaAlgorithms.Sign(key.PrivateKeyPem, RsaAlgorithms.CavageRsaSha256, Encoding.UTF8.GetBytes(signingString));
        request.Headers.TryAddWithoutValidation(
            "Signature",
            $"keyId=\"{key.KeyId}\",algorithm=\"{RsaAlgorithms.CavageRsaSha256}\",headers=\"{string.Join(' ', headers)}\",signature=\"{Convert.ToBase64String(signature)}\"");
    }

    /// <summary>
    /// Builds the signing string of draft-cavage-12 §2.3: one <c>name: value</c> line per listed
    /// header, joined by LF. <c>(request-target)</c> is the lowercase method, a space and the path
    /// with query; <c>(created)</c> and <c>(expires)</c> are the signature's parameters.
    /// </summary>
    /// <returns>False, with the reason in <paramref name="error"/>, when a listed header is missing.</returns>
    public static bool TryBuildSigningString(
        SignableRequest request,
        IReadOnlyList<string> headers,
        long? created,
        long? expires,
        out string signingString,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(headers);
        signingString = string.Empty;
        var lines = new List<string>(headers.Count);
        foreach (var header in headers)
        {
            var name = header.ToLowerInvariant();
            var value = name switch
            {
                "(request-target)" => $"{request.Method.ToLowerInvariant()} {request.RequestTarget}",
                "(created)" => created?.ToString(CultureInfo.InvariantCulture),
                "(expires)" => expires?.ToString(CultureInfo.InvariantCulture),
                // Behind HTTP/2 there is no Host field, only the authority.
                "host" => request.Header("host") ?? request.Authority,
                _ => request.Header(name),
            };
            if (value is null)
            {
                error = $"The signed header {name} is not in the request.";
                return false;
            }

            lines.Add($"{name}: {value}");
        }

        signingString = string.Join('\n', lines);
        error = null;
        return true;
    }

    /// <summary>Parses a <c>Signature</c> field (or an <c>Authorization: Signature …</c> value); null when malformed.</summary>
    internal static CavageSignatureFields? Parse(string fieldValue)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (position < fieldValue.Length)
        {
            while (position < fieldValue.Length && fieldValue[position] is ' ' or '\t' or ',')
            {
                position++;
            }

            if (position >= fieldValue.Length)
            {
                break;
            }

            var equals = fieldValue.IndexOf('=', position);
            if (equals < 0)
            {
                return null;
            }

            var name = fieldValue[position..equals].Trim();
            position = equals + 1;
            string value;
            if (position < fieldValue.Length && fieldValue[position] == '"')
            {
                var end = fieldValue.IndexOf('"', position + 1);
                if (end < 0)
                {
                    return null;
                }

                value = fieldValue[(position + 1)..end];
                position = end + 1;
            }
            else
            {
                // Unquoted values are the numeric created and expires.
                var end = fieldValue.IndexOf(',', position);
                end = end < 0 ? fieldValue.Length : end;
                value = fieldValue[position..end].Trim();
                position = end;
            }

            parameters[name] = value;
        }

        if (!parameters.TryGetValue("keyId", out var keyId) || keyId.Length == 0
            || !parameters.TryGetValue("signature", out var encoded))
        {
            return null;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return null;
        }

        // The draft's default when headers is absent; Mastodon uses the same.
        var headers = parameters.TryGetValue("headers", out var list)
            ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(name => name.ToLowerInvariant()).ToArray()
            : ["date"];
        return new CavageSignatureFields(
            keyId,
            parameters.GetValueOrDefault("algorithm"),
            headers,
            signature,
            ParseUnixTime(parameters.GetValueOrDefault("created")),
            ParseUnixTime(parameters.GetValueOrDefault("expires")));
    }

    private static long? ParseUnixTime(string? value) =>
        decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? (long)Math.Floor(seconds)
            : null;
}

/// <summary>The parameters of a parsed draft-cavage <c>Signature</c> field.</summary>
internal sealed record CavageSignatureFields(
    string KeyId, string? Algorithm, IReadOnlyList<string> Headers, byte[] Signature, long? Created, long? Expires);
