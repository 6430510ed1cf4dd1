namespace Plaza.Federation.Signatures;

/// <summary>Which HTTP signature format a request carried.</summary>
public enum SignatureFormat
{
    /// <summary>draft-cavage-http-signatures-12, as Mastodon sends it (<c>Signature: keyId=…,headers=…</c>).</summary>
    Cavage,

    /// <summary>RFC 9421 HTTP Message Signatures (<c>Signature-Input</c> and <c>Signature</c>).</summary>
    Rfc9421,
}

/// <summary>Why a signature was refused.</summary>
public enum SignatureFailure
{
    /// <summary>The request carries no signature (answer 401).</summary>
    NotSigned,

    /// <summary>The signature fields cannot be parsed, or a covered component cannot be built.</summary>
    Malformed,

    /// <summary>The signature uses an algorithm this library does not verify, or the key does not fit it.</summary>
    UnsupportedAlgorithm,

    /// <summary>A component that must be signed (target, host, date, digest…) is not covered.</summary>
    ComponentNotCovered,

    /// <summary>A body is present but no digest field came with it.</summary>
    DigestMissing,

    /// <summary>The digest field does not match the body as received.</summary>
    DigestMismatch,

    /// <summary>The signature is older than the allowed window, or past its <c>expires</c>.</summary>
    Expired,

    /// <summary>The signature claims to be made further in the future than clock skew explains.</summary>
    FromTheFuture,

    /// <summary>The resolver found no key for the <c>keyId</c>.</summary>
    KeyNotFound,

    /// <summary>The resolved key is not a usable RSA public key.</summary>
    KeyUnusable,

    /// <summary>The signature does not verify with the key: wrong key, or the signed parts were changed.</summary>
    BadSignature,
}

/// <summary>The outcome of verifying a request's signature.</summary>
public sealed record SignatureVerification
{
    private SignatureVerification(
        SignatureFormat? format, string? keyId, SignatureFailure? failure, string? detail, IReadOnlyList<string> coveredComponents)
    {
        Format = format;
        KeyId = keyId;
        Failure = failure;
        Detail = detail;
        CoveredComponents = coveredComponents;
    }

    /// <summary>Whether the signature verified; only then is <see cref="KeyId"/> an identity.</summary>
    public bool IsVerified => Failure is null;

    /// <summary>The format found, when the request carried a signature.</summary>
    public SignatureFormat? Format { get; }

    /// <summary>The signature's key id (also on failures, for logs and key re-fetching).</summary>
    public string? KeyId { get; }

    /// <summary>Why the signature was refused; null when verified.</summary>
    public SignatureFailure? Failure { get; }

    /// <summary>A human-readable explanation of the failure, for logs and problem details.</summary>
    public string? Detail { get; }

    /// <summary>The covered components, as named in the signature (e.g. <c>(request-target)</c>, <c>"@method"</c>).</summary>
    public IReadOnlyList<string> CoveredComponents { get; }

    internal static SignatureVerification Verified(SignatureFormat format, string keyId, IReadOnlyList<string> covered) =>
        new(format, keyId, null, null, covered);

    internal static SignatureVerification Refused(
        SignatureFailure failure, string detail, SignatureFormat? format = null, string? keyId = null) =>
        new(format, keyId, failure, detail, []);
}

/// <summary>The limits a <see cref="SignatureVerifier"/> applies.</summary>
public sealed record SignatureVerifierOptions
{
    /// <summary>
    /// How old a signature (its <c>Date</c> or <c>created</c>) may be. Mastodon allows about an hour,
    /// so deliveries retried from a queue still verify.
    /// </summary>
    public TimeSpan MaximumAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How far in the future a signature may claim to be, for clock skew.</summary>
    public TimeSpan MaximumClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The algorithm assumed for an RFC 9421 signature whose <c>Signature-Input</c> names none
    /// (RFC 9421 leaves it to the key). Fediverse servers sign with <c>rsa-v1_5-sha256</c>.
    /// </summary>
    public string DefaultRfc9421Algorithm { get; init; } = "rsa-v1_5-sha256";

    /// <summary>
    /// How many RFC 9421 signatures of one request are tried. Each may name its own key, and a key may
    /// cost a fetch: an unauthenticated request must not buy unbounded work. Peers send one; a proxy
    /// may add a second.
    /// </summary>
    public int MaximumSignatures { get; init; } = 2;
}
