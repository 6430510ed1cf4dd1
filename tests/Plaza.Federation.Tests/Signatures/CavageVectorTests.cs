using System.Security.Cryptography;
using System.Text;
using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.Signatures;

/// <summary>The draft-cavage-http-signatures-12 Appendix C values.</summary>
public sealed class CavageVectorTests
{
    private static SignableRequest VectorRequest(params KeyValuePair<string, string>[] extraFields) =>
        SigningFixtures.Describe(
            "POST",
            CavageVectors.RequestTargetUri,
            [
                new("Host", "example.com"),
                new("Date", CavageVectors.Date),
                new("Content-Type", "application/json"),
                new("Digest", CavageVectors.Digest),
                new("Content-Length", "18"),
                .. extraFields,
            ],
            CavageVectors.Body);

    [Fact]
    public void Basic_test_signing_string_matches_the_draft()
    {
        Assert.True(CavageSignature.TryBuildSigningString(
            VectorRequest(), ["(request-target)", "host", "date"], null, null, out var signingString, out var error), error);

        Assert.Equal(CavageVectors.BasicSigningString, signingString);
    }

    [Theory]
    [InlineData("date", CavageVectors.DefaultSignature)]
    [InlineData("(request-target) host date", CavageVectors.BasicSignature)]
    public async Task Plazas_signer_reproduces_the_drafts_signatures_with_the_test_key(string covered, string expected)
    {
        // RSASSA-PKCS1-v1_5 is deterministic: Plaza's own signer, at the draft's date, must give the draft's bytes.
        using var request = new HttpRequestMessage(HttpMethod.Post, CavageVectors.RequestTargetUri)
        {
            Content = new StringContent(CavageVectors.Body, Encoding.UTF8, "application/json"),
        };
        var signedAt = DateTimeOffset.ParseExact(CavageVectors.Date, "r", System.Globalization.CultureInfo.InvariantCulture);

        await CavageSignature.SignAsync(request, new SigningKey("Test", CavageVectors.PrivateKeyPem), new FixedTimeProvider(signedAt), covered.Split(' '),
            TestContext.Current.CancellationToken);

        var field = request.Headers.GetValues("Signature").Single();
        Assert.Contains($"headers=\"{covered}\"", field, StringComparison.Ordinal);
        Assert.Contains($"signature=\"{expected}\"", field, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_digest_matches_the_draft()
    {
        Assert.Equal(CavageVectors.Digest, BodyDigest.DigestFieldValue(Encoding.UTF8.GetBytes(CavageVectors.Body)));
    }

    [Fact]
    public async Task Basic_test_request_verifies_at_its_date_apart_from_the_missing_digest()
    {
        var signatureField =
            $"keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{CavageVectors.BasicSignature}\"";
        var clock = new FixedTimeProvider(DateTimeOffset.Parse(CavageVectors.Date, System.Globalization.CultureInfo.InvariantCulture));
        var keys = new Dictionary<string, string> { ["Test"] = CavageVectors.PublicKeyPem };
        var verifier = SigningFixtures.Verifier(clock, SigningFixtures.Resolver(keys));

        var result = await verifier.VerifyAsync(VectorRequest(new KeyValuePair<string, string>("Signature", signatureField)), TestContext.Current.CancellationToken);

        // The draft's basic test signs a POST body without its digest, which Plaza (like Mastodon) refuses.
        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
        Assert.Equal("The signature does not cover digest.", result.Detail);
    }

    [Fact]
    public void Basic_test_signature_verifies_over_the_string_built_here()
    {
        Assert.True(CavageSignature.TryBuildSigningString(
            VectorRequest(), ["(request-target)", "host", "date"], null, null, out var signingString, out var error), error);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(CavageVectors.PublicKeyPem);

        Assert.True(rsa.VerifyData(
            Encoding.UTF8.GetBytes(signingString),
            Convert.FromBase64String(CavageVectors.BasicSignature),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Basic_test_signature_does_not_verify_for_another_method()
    {
        var signatureField =
            $"keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{CavageVectors.BasicSignature}\"";
        var clock = new FixedTimeProvider(DateTimeOffset.Parse(CavageVectors.Date, System.Globalization.CultureInfo.InvariantCulture));
        var keys = new Dictionary<string, string> { ["Test"] = CavageVectors.PublicKeyPem };
        var verifier = SigningFixtures.Verifier(clock, SigningFixtures.Resolver(keys));
        var asGet = SigningFixtures.Describe(
            "GET", CavageVectors.RequestTargetUri, [new("Host", "example.com"), new("Date", CavageVectors.Date), new("Signature", signatureField)]);

        var result = await verifier.VerifyAsync(asGet, TestContext.Current.CancellationToken);

        // The draft signed "(request-target): post …"; the same signature on a GET must fail.
        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public void Default_test_signing_string_and_signature_match_the_draft()
    {
        Assert.True(CavageSignature.TryBuildSigningString(VectorRequest(), ["date"], null, null, out var signingString, out var error), error);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(CavageVectors.PrivateKeyPem);

        Assert.Equal(CavageVectors.DefaultSigningString, signingString);
        var signature = rsa.SignData(Encoding.UTF8.GetBytes(signingString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(CavageVectors.DefaultSignature, Convert.ToBase64String(signature));
    }

    [Fact]
    public void All_headers_test_signing_string_matches_the_draft()
    {
        Assert.True(CavageSignature.TryBuildSigningString(
            VectorRequest(), ["(request-target)", "host", "date", "content-type", "digest", "content-length"], null, null, out var signingString, out var error), error);

        Assert.Equal(CavageVectors.AllHeadersSigningString, signingString);
    }

    [Fact]
    public async Task All_headers_test_request_passes_the_verifier_at_its_date()
    {
        // The draft prints headers="(request-target) (created) (expires) host date …" but its signature
        // is over the printed signing string, which has no (created)/(expires) lines; the list here is
        // the one that matches the signed string.
        var signatureField =
            $"keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date content-type digest content-length\",signature=\"{CavageVectors.AllHeadersSignature}\"";
        var clock = new FixedTimeProvider(DateTimeOffset.Parse(CavageVectors.Date, System.Globalization.CultureInfo.InvariantCulture));
        var keys = new Dictionary<string, string> { ["Test"] = CavageVectors.PublicKeyPem };
        var verifier = SigningFixtures.Verifier(clock, SigningFixtures.Resolver(keys));

        var result = await verifier.VerifyAsync(
            VectorRequest(new KeyValuePair<string, string>("Signature", signatureField)), TestContext.Current.CancellationToken);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal("Test", result.KeyId);
    }
}
