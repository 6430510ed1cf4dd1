using System.Globalization;
using System.Text;

namespace Plaza.Federation.Signatures;

/// <summary>
/// RFC 9421 HTTP Message Signatures: building the signature base (§2.5) and signing requests the
/// way Fedify and Mastodon 4.5 expect (<c>@method</c>, <c>@target-uri</c>, <c>content-digest</c>,
/// <c>created</c>, <c>keyid</c>, <c>rsa-v1_5-sha256</c>).
/// </summary>
public static class Rfc9421Signature
{
    /// <summary>The label Plaza gives its signature in <c>Signature-Input</c> and <c>Signature</c>.</summary>
    public const string Label = "sig1";

    /// <summary>The derived components this library can build.</summary>
    public static readonly IReadOnlyList<string> SupportedDerivedComponents =
        ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query", "@query-param"];

    /// <summary>
    /// Signs <paramref name="request"/>: sets <c>Content-Digest</c> when it has content, then
    /// <c>Signature-Input</c> and <c>Signature</c>, replacing any signature fields already present
    /// so one request never carries both formats.
    /// </summary>
    public static async Task SignAsync(
        HttpRequestMessage request, SigningKey key, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
        SignatureFields.RemoveAll(request);

        var described = await SignableRequest.FromHttpRequestMessageAsync(request, cancellationToken).ConfigureAwait(false);
        List<ComponentIdentifier> components = [new("@method"), new("@target-uri")];
        if (request.Content is not null)
        {
            request.Headers.TryAddWithoutValidation("Content-Digest", BodyDigest.ContentDigestFieldValue(described.Body.Span));
            components.Add(new("content-digest"));
            described = await SignableRequest.FromHttpRequestMessageAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var parameters = SignatureParameters.Create(
            components, timeProvider.GetUtcNow(), key.KeyId, RsaAlgorithms.Rfc9421Pkcs1Sha256);
        if (!TryBuildSignatureBase(described, parameters, out var signatureBase, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var signature = RsaAlgorithms.Sign(key.PrivateKeyPem, RsaAlgorithms.Rfc9421Pkcs1Sha256, Encoding.ASCII.GetBytes(signatureBase));
        request.Headers.TryAddWithoutValidation("Signature-Input", $"{Label}={parameters.Serialize()}");
        request.Headers.TryAddWithoutValidation("Signature", $"{Label}=:{Convert.ToBase64String(signature)}:");
    }

    /// <summary>
    /// Builds the signature base of RFC 9421 §2.5: one <c>"component": value</c> line per covered
    /// component, then the <c>"@signature-params"</c> line, joined by LF with no trailing newline.
    /// </summary>
    /// <returns>False, with the reason in <paramref name="error"/>, when a component cannot be built (the RFC's "produce an error").</returns>
    public static bool TryBuildSignatureBase(
        SignableRequest request, SignatureParameters parameters, out string signatureBase, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parameters);
        signatureBase = string.Empty;
        var output = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in parameters.Components)
        {
            var identifier = component.Serialize();
            if (!seen.Add(identifier))
            {
                error = $"{identifier} is covered twice.";
                return false;
            }

            var value = component.Name.StartsWith('@')
                ? DerivedValue(request, component, out error)
                : FieldValue(request, component, out error);
            if (value is null)
            {
                return false;
            }

            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                error = $"{identifier} has a line break in its value.";
                return false;
            }

            output.Append(identifier).Append(": ").Append(value).Append('\n');
        }

        output.Append("\"@signature-params\": ").Append(parameters.Serialize());
        signatureBase = output.ToString();
        error = null;
        return true;
    }

    private static string? DerivedValue(SignableRequest request, ComponentIdentifier component, out string? error)
    {
        error = null;
        var isQueryParam = component.Name == "@query-param";
        var allowedParameters = isQueryParam ? 1 : 0;
        if (component.Parameters.Count != allowedParameters || (isQueryParam && component.Parameters[0].Key != "name"))
        {
            error = $"{component.Serialize()} has parameters this library does not understand.";
            return null;
        }

        switch (component.Name)
        {
            case "@method":
                return request.Method;
            case "@target-uri":
                return request.TargetUri;
            case "@authority":
                return NormalizedAuthority(request.Scheme, request.Authority);
            case "@scheme":
                return request.Scheme;
            case "@request-target":
                return request.RequestTarget;
            case "@path":
                return request.Path;
            case "@query":
                return "?" + (request.Query ?? string.Empty);
            case "@query-param":
                return QueryParameterValue(request, component.Parameters[0].Value as string, out error);
            default:
                error = $"{component.Serialize()} is not a derived component this library builds.";
                return null;
        }
    }

    private static string? FieldValue(SignableRequest request, ComponentIdentifier component, out string? error)
    {
        error = null;
        if (component.Parameters.Count > 0)
        {
            // sf, key, bs, tr and req change how a field is read; none are used by fediverse peers.
            error = $"{component.Serialize()} has parameters this library does not understand.";
            return null;
        }

        if (component.Name.Any(char.IsAsciiLetterUpper))
        {
            error = $"{component.Serialize()} is not a lowercase field name.";
            return null;
        }

        var value = request.Header(component.Name);
        if (value is null)
        {
            error = $"The covered field {component.Name} is not in the request.";
        }

        return value;
    }

    // RFC 9110 §4.2.3: host lowercased, default port left out.
    internal static string NormalizedAuthority(string scheme, string authority)
    {
        var lower = authority.ToLowerInvariant();
        var defaultPort = scheme switch
        {
            "https" => ":443",
            "http" => ":80",
            _ => null,
        };
        return defaultPort is not null && lower.EndsWith(defaultPort, StringComparison.Ordinal)
            ? lower[..^defaultPort.Length]
            : lower;
    }

    private static string? QueryParameterValue(SignableRequest request, string? encodedName, out string? error)
    {
        error = null;
        if (encodedName is null)
        {
            error = "@query-param needs a string name.";
            return null;
        }

        var matches = new List<string>();
        foreach (var pair in (request.Query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            if (FormEncode(FormDecode(name)) == encodedName)
            {
                matches.Add(FormEncode(FormDecode(value)));
            }
        }

        // RFC 9421 §2.2.8: a missing parameter is an error, and a repeated one must not be signed.
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                error = $"The query has no parameter {encodedName}.";
                return null;
            default:
                error = $"The query repeats the parameter {encodedName}.";
                return null;
        }
    }

    // The application/x-www-form-urlencoded parser of the WHATWG URL standard: '+' is a space,
    // then percent-decoding as UTF-8.
    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    // "Percent-encode after encoding" with the application/x-www-form-urlencoded set, as RFC 9421
    // §2.2.8 asks; its own example encodes spaces as %20, not '+'.
    private static string FormEncode(string text)
    {
        var output = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var character = (char)b;
            if (char.IsAsciiLetterOrDigit(character) || character is '*' or '-' or '.' or '_')
            {
                output.Append(character);
            }
            else
            {
                output.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return output.ToString();
    }
}

/// <summary>The fields that carry signatures and digests, removed before a request is signed again.</summary>
internal static class SignatureFields
{
    public static void RemoveAll(HttpRequestMessage request)
    {
        foreach (var name in new[] { "Signature", "Signature-Input", "Digest", "Content-Digest" })
        {
            request.Headers.Remove(name);
        }
    }
}
