using System.Security.Cryptography;
using System.Text;
using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.Signatures;

/// <summary>A clock that stays where the test puts it.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Keys, requests and the receiving side of a signed request.</summary>
internal static class SigningFixtures
{
    public const string AliceActor = "https://social.example/users/alice";
    public const string AliceKeyId = AliceActor + "#main-key";
    public const string Inbox = "https://shop.example/actors/bakery/inbox";
    public const string NoteBody = """{"type":"Create","actor":"https://social.example/users/alice"}""";

    public static readonly DateTimeOffset SignedAt = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    // Generated once: a 2048-bit key takes a noticeable moment.
    public static readonly RsaKeyPair Alice = RsaKeyPair.Generate();
    public static readonly RsaKeyPair Mallory = RsaKeyPair.Generate();

    public static SigningKey AliceSigningKey => new(AliceKeyId, Alice.PrivateKeyPem);

    public static PublicKeyResolver Resolver(IReadOnlyDictionary<string, string> keys) =>
        (keyId, _) => ValueTask.FromResult(keys.GetValueOrDefault(keyId));

    public static SignatureVerifier Verifier(TimeProvider clock, PublicKeyResolver? resolver = null, SignatureVerifierOptions? options = null) =>
        new(resolver ?? Resolver(new Dictionary<string, string> { [AliceKeyId] = Alice.PublicKeyPem }), clock, options);

    public static HttpRequestMessage PostToInbox(string uri = Inbox, string body = NoteBody) =>
        new(HttpMethod.Post, uri)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/activity+json"),
        };

    public static HttpRequestMessage Get(string uri) => new(HttpMethod.Get, uri);

    /// <summary>
    /// What the receiving host sees of <paramref name="sent"/>, optionally changed on the way:
    /// another body, fields replaced or removed, another target.
    /// </summary>
    public static async Task<SignableRequest> ReceivedAsync(
        HttpRequestMessage sent,
        string? body = null,
        IReadOnlyDictionary<string, string?>? replaceFields = null,
        string? targetUri = null)
    {
        var original = await SignableRequest.FromHttpRequestMessageAsync(sent, CancellationToken.None);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var name in original.HeaderNames)
        {
            if (replaceFields?.ContainsKey(name) ?? false)
            {
                continue;
            }

            fields.Add(new(name, original.Header(name)!));
        }

        foreach (var (name, value) in replaceFields ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                fields.Add(new(name, value));
            }
        }

        var bytes = body is null ? original.Body : Encoding.UTF8.GetBytes(body);
        return new SignableRequest(original.Method, targetUri ?? original.TargetUri, fields, bytes);
    }

    /// <summary>Signs a hand-made draft-cavage header list, to build requests Plaza itself would never send.</summary>
    public static string CavageSignatureField(
        SignableRequest request, IReadOnlyList<string> headers, string privateKeyPem, string keyId = AliceKeyId, string algorithm = "rsa-sha256")
    {
        Assert.True(CavageSignature.TryBuildSigningString(request, headers, null, null, out var signingString, out var error), error);
        var signature = SignPkcs1(privateKeyPem, Encoding.UTF8.GetBytes(signingString));
        return $"keyId=\"{keyId}\",algorithm=\"{algorithm}\",headers=\"{string.Join(' ', headers)}\",signature=\"{Convert.ToBase64String(signature)}\"";
    }

    /// <summary>Signs hand-made RFC 9421 parameters; returns the Signature-Input and Signature fields.</summary>
    public static (string SignatureInput, string Signature) Rfc9421Fields(
        SignableRequest request, SignatureParameters parameters, string privateKeyPem)
    {
        Assert.True(Rfc9421Signature.TryBuildSignatureBase(request, parameters, out var signatureBase, out var error), error);
        var signature = SignPkcs1(privateKeyPem, Encoding.ASCII.GetBytes(signatureBase));
        return ($"sig1={parameters.Serialize()}", $"sig1=:{Convert.ToBase64String(signature)}:");
    }

    public static SignableRequest Describe(
        string method, string targetUri, IEnumerable<KeyValuePair<string, string>> fields, string? body = null) =>
        new(method, targetUri, fields, body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body));

    private static byte[] SignPkcs1(string privateKeyPem, byte[] data)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
