using System.Globalization;
using System.Text;

namespace Plaza.Federation.Signatures;

/// <summary>
/// Verifies the signature of an incoming request in either format (RFC 9421 when
/// <c>Signature-Input</c> is present, otherwise draft-cavage), applying the checks trusted
/// servers apply: the digest matches the raw body and is signed, the time is within the window,
/// the target, host and date are signed, and the RSA signature verifies with the signer's key.
/// </summary>
/// <remarks>
/// Cheap checks run before the key is resolved, so a malformed or stale request costs no key fetch.
/// A <see cref="SignatureFailure.BadSignature"/> may mean the signer rotated its key: the host can
/// drop its cached key and verify once more.
/// </remarks>
/// <param name="resolveKey">Finds the public key PEM for a <c>keyId</c>.</param>
/// <param name="timeProvider">The clock the date window is measured against.</param>
/// <param name="options">The limits; defaults when null.</param>
public sealed class SignatureVerifier(PublicKeyResolver resolveKey, TimeProvider timeProvider, SignatureVerifierOptions? options = null)
{
    private static readonly string[] BodyMethods = ["POST", "PUT", "PATCH"];

    private readonly PublicKeyResolver resolveKey = resolveKey ?? throw new ArgumentNullException(nameof(resolveKey));
    private readonly TimeProvider timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    private readonly SignatureVerifierOptions options = options ?? new SignatureVerifierOptions();

    /// <summary>Verifies the request's signature.</summary>
    public async Task<SignatureVerification> VerifyAsync(SignableRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header("signature-input") is { } signatureInput)
        {
            return await VerifyRfc9421Async(request, signatureInput, cancellationToken).ConfigureAwait(false);
        }

        var cavage = request.Header("signature");
        if (cavage is null && request.Header("authorization") is { } authorization
            && authorization.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
        {
            cavage = authorization["Signature ".Length..];
        }

        return cavage is null
            ? SignatureVerification.Refused(SignatureFailure.NotSigned, "The request is not signed.")
            : await VerifyCavageAsync(request, cavage, cancellationToken).ConfigureAwait(false);
    }

    // Mastodon requires a digest on every POST, even an empty one; a body on any method needs one too.
    private static bool NeedsDigest(SignableRequest request) =>
        !request.Body.IsEmpty || BodyMethods.Contains(request.Method.ToUpperInvariant());

    private async Task<SignatureVerification> VerifyCavageAsync(
        SignableRequest request, string fieldValue, CancellationToken cancellationToken)
    {
        const SignatureFormat format = SignatureFormat.Cavage;
        if (CavageSignature.Parse(fieldValue) is not { } signature)
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, "The Signature field cannot be parsed.", format);
        }

        var keyId = signature.KeyId;
        var algorithm = signature.Algorithm?.ToLowerInvariant() ?? RsaAlgorithms.CavageHs2019;
        if (algorithm is not (RsaAlgorithms.CavageRsaSha256 or RsaAlgorithms.CavageHs2019))
        {
            return SignatureVerification.Refused(
                SignatureFailure.UnsupportedAlgorithm, $"The algorithm {algorithm} is not supported.", format, keyId);
        }

        var covered = signature.Headers;
        var missing = new List<string>();
        if (!covered.Contains("(request-target)"))
        {
            missing.Add("(request-target)");
        }

        if (!covered.Contains("host"))
        {
            missing.Add("host");
        }

        if (!covered.Contains("date") && !covered.Contains("(created)"))
        {
            missing.Add("date");
        }

        if (NeedsDigest(request) && !covered.Contains("digest"))
        {
            missing.Add("digest");
        }

        if (missing.Count > 0)
        {
            return SignatureVerification.Refused(
                SignatureFailure.ComponentNotCovered, $"The signature does not cover {string.Join(", ", missing)}.", format, keyId);
        }

        if (covered.Contains("digest") && DigestFailure(BodyDigest.CheckDigestField(request.Header("digest"), request.Body.Span), "Digest") is { } digestFailure)
        {
            return SignatureVerification.Refused(digestFailure.Failure, digestFailure.Detail, format, keyId);
        }

        if (covered.Contains("date"))
        {
            if (!TryParseHttpDate(request.Header("date"), out var date))
            {
                return SignatureVerification.Refused(SignatureFailure.Malformed, "The Date field is not an HTTP date.", format, keyId);
            }

            if (TimeFailure(date, "Date") is { } dateFailure)
            {
                return SignatureVerification.Refused(dateFailure.Failure, dateFailure.Detail, format, keyId);
            }
        }

        if (covered.Contains("(created)"))
        {
            if (signature.Created is not { } created)
            {
                return SignatureVerification.Refused(SignatureFailure.Malformed, "(created) is signed but created is missing.", format, keyId);
            }

            if (TimeFailure(DateTimeOffset.FromUnixTimeSeconds(created), "created") is { } createdFailure)
            {
                return SignatureVerification.Refused(createdFailure.Failure, createdFailure.Detail, format, keyId);
            }
        }

        if (signature.Expires is { } expires && timeProvider.GetUtcNow() > DateTimeOffset.FromUnixTimeSeconds(expires))
        {
            return SignatureVerification.Refused(SignatureFailure.Expired, "The signature is past its expires time.", format, keyId);
        }

        if (!CavageSignature.TryBuildSigningString(request, covered, signature.Created, signature.Expires, out var signingString, out var error))
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, error!, format, keyId);
        }

        var outcome = await VerifyWithKeyAsync(
            keyId, algorithm, Encoding.UTF8.GetBytes(signingString), signature.Signature, cancellationToken).ConfigureAwait(false);
        return outcome is null
            ? SignatureVerification.Verified(format, keyId, covered)
            : SignatureVerification.Refused(outcome.Failure, outcome.Detail, format, keyId);
    }

    private async Task<SignatureVerification> VerifyRfc9421Async(
        SignableRequest request, string signatureInput, CancellationToken cancellationToken)
    {
        const SignatureFormat format = SignatureFormat.Rfc9421;
        var inputs = SignatureParameters.ParseSignatureInput(signatureInput);
        var signatures = StructuredFields.ParseDictionary(request.Header("signature") ?? string.Empty);
        if (inputs is null || inputs.Count == 0 || signatures is null)
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, "Signature-Input or Signature cannot be parsed.", format);
        }

        // Several signatures may be present (e.g. one added by a proxy); one that verifies is enough.
        SignatureVerification? firstRefusal = null;
        foreach (var (label, parameters) in inputs.Take(options.MaximumSignatures))
        {
            var signature = signatures.FirstOrDefault(member => member.Key == label).Value?.Item as byte[];
            var result = signature is null
                ? SignatureVerification.Refused(SignatureFailure.Malformed, $"No signature is labelled {label}.", format, parameters.KeyId)
                : await VerifyRfc9421LabelAsync(request, parameters, signature, cancellationToken).ConfigureAwait(false);
            if (result.IsVerified)
            {
                return result;
            }

            firstRefusal ??= result;
        }

        return firstRefusal!;
    }

    private async Task<SignatureVerification> VerifyRfc9421LabelAsync(
        SignableRequest request, SignatureParameters parameters, byte[] signature, CancellationToken cancellationToken)
    {
        const SignatureFormat format = SignatureFormat.Rfc9421;
        if (parameters.KeyId is not { Length: > 0 } keyId)
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, "The signature has no keyid.", format);
        }

        var algorithm = parameters.Algorithm ?? options.DefaultRfc9421Algorithm;
        if (algorithm is not (RsaAlgorithms.Rfc9421Pkcs1Sha256 or RsaAlgorithms.Rfc9421PssSha512))
        {
            return SignatureVerification.Refused(
                SignatureFailure.UnsupportedAlgorithm, $"The algorithm {algorithm} is not supported.", format, keyId);
        }

        // created is optional in RFC 9421 but Mastodon and Fedify require it: without it there is no window.
        if (parameters.Created is not { } created)
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, "The signature has no created time.", format, keyId);
        }

        var covered = parameters.Components.Select(component => component.Serialize()).ToArray();
        if (MissingRfc9421Components(request, covered) is { Count: > 0 } missing)
        {
            return SignatureVerification.Refused(
                SignatureFailure.ComponentNotCovered, $"The signature does not cover {string.Join(", ", missing)}.", format, keyId);
        }

        if (covered.Contains("\"content-digest\"")
            && DigestFailure(BodyDigest.CheckContentDigestField(request.Header("content-digest"), request.Body.Span), "Content-Digest") is { } digestFailure)
        {
            return SignatureVerification.Refused(digestFailure.Failure, digestFailure.Detail, format, keyId);
        }

        if (TimeFailure(DateTimeOffset.FromUnixTimeSeconds(created), "created") is { } createdFailure)
        {
            return SignatureVerification.Refused(createdFailure.Failure, createdFailure.Detail, format, keyId);
        }

        if (parameters.Expires is { } expires && timeProvider.GetUtcNow() > DateTimeOffset.FromUnixTimeSeconds(expires))
        {
            return SignatureVerification.Refused(SignatureFailure.Expired, "The signature is past its expires time.", format, keyId);
        }

        if (!Rfc9421Signature.TryBuildSignatureBase(request, parameters, out var signatureBase, out var error))
        {
            return SignatureVerification.Refused(SignatureFailure.Malformed, error!, format, keyId);
        }

        var outcome = await VerifyWithKeyAsync(
            keyId, algorithm, Encoding.ASCII.GetBytes(signatureBase), signature, cancellationToken).ConfigureAwait(false);
        return outcome is null
            ? SignatureVerification.Verified(format, keyId, covered)
            : SignatureVerification.Refused(outcome.Failure, outcome.Detail, format, keyId);
    }

    // The method and the whole target must be signed: either @target-uri, or the authority with
    // the path and (when there is one) the query.
    private static List<string> MissingRfc9421Components(SignableRequest request, string[] covered)
    {
        var missing = new List<string>();
        if (!covered.Contains("\"@method\""))
        {
            missing.Add("@method");
        }

        if (!covered.Contains("\"@target-uri\""))
        {
            if (!covered.Contains("\"@authority\""))
            {
                missing.Add("@authority or @target-uri");
            }

            var coversRequestTarget = covered.Contains("\"@request-target\"");
            if (!coversRequestTarget && !covered.Contains("\"@path\""))
            {
                missing.Add("@path or @target-uri");
            }

            if (!coversRequestTarget && !string.IsNullOrEmpty(request.Query) && !covered.Contains("\"@query\""))
            {
                missing.Add("@query or @target-uri");
            }
        }

        if (NeedsDigest(request) && !covered.Contains("\"content-digest\""))
        {
            missing.Add("content-digest");
        }

        return missing;
    }

    private async Task<Refusal?> VerifyWithKeyAsync(
        string keyId, string algorithm, byte[] signedBytes, byte[] signature, CancellationToken cancellationToken)
    {
        var publicKeyPem = await resolveKey(keyId, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(publicKeyPem))
        {
            return new(SignatureFailure.KeyNotFound, $"No key was found for {keyId}.");
        }

        return RsaAlgorithms.Verify(publicKeyPem, algorithm, signedBytes, signature) switch
        {
            true => null,
            false => new(SignatureFailure.BadSignature, "The signature does not verify with the signer's key."),
            null => new(SignatureFailure.KeyUnusable, $"The key for {keyId} is not a usable RSA public key."),
        };
    }

    private Refusal? TimeFailure(DateTimeOffset signedAt, string what)
    {
        var now = timeProvider.GetUtcNow();
        if (now - signedAt > options.MaximumAge)
        {
            return new(SignatureFailure.Expired, $"The signature's {what} is more than {options.MaximumAge} old.");
        }

        if (signedAt - now > options.MaximumClockSkew)
        {
            return new(SignatureFailure.FromTheFuture, $"The signature's {what} is more than {options.MaximumClockSkew} in the future.");
        }

        return null;
    }

    private static Refusal? DigestFailure(DigestCheck check, string field) => check switch
    {
        DigestCheck.Matches => null,
        DigestCheck.Missing => new(SignatureFailure.DigestMissing, $"The {field} field is missing."),
        DigestCheck.Mismatch => new(SignatureFailure.DigestMismatch, $"The {field} field does not match the body."),
        DigestCheck.NoSupportedAlgorithm => new(SignatureFailure.DigestMismatch, $"The {field} field has no SHA-256 or SHA-512 digest."),
        _ => new(SignatureFailure.Malformed, $"The {field} field cannot be parsed."),
    };

    private static bool TryParseHttpDate(string? value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(
            value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out date)
        || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);

    private sealed record Refusal(SignatureFailure Failure, string Detail);
}
