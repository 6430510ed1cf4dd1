using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.Signatures;

/// <summary>RFC 9421 Appendix B.2 test cases: signature bases built here against the RFC's text, and its signatures verified.</summary>
public sealed class Rfc9421VectorTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1618884473);

    private static SignableRequest TestRequest(params KeyValuePair<string, string>[] signatureFields) =>
        SigningFixtures.Describe(
            "POST",
            Rfc9421Vectors.RequestTargetUri,
            [
                new("Host", Rfc9421Vectors.Host),
                new("Date", Rfc9421Vectors.Date),
                new("Content-Type", Rfc9421Vectors.ContentType),
                new("Content-Digest", Rfc9421Vectors.ContentDigest),
                new("Content-Length", Rfc9421Vectors.ContentLength),
                .. signatureFields,
            ],
            Rfc9421Vectors.Body);

    private static SignatureParameters ParametersOf(string signatureInput) =>
        Assert.Single(SignatureParameters.ParseSignatureInput(signatureInput)!).Value;

    private static byte[] SignatureOf(string signatureField) =>
        Convert.FromBase64String(signatureField[(signatureField.IndexOf(':', StringComparison.Ordinal) + 1)..^1]);

    private static string BaseFor(string signatureInput)
    {
        Assert.True(
            Rfc9421Signature.TryBuildSignatureBase(TestRequest(), ParametersOf(signatureInput), out var signatureBase, out var error), error);
        return signatureBase;
    }

    private static bool VerifiesWithRsaPss(string signatureBase, string signatureField)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(Rfc9421Vectors.RsaPssPublicKeyPem);
        return rsa.VerifyData(Encoding.ASCII.GetBytes(signatureBase), SignatureOf(signatureField), HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
    }

    [Fact]
    public void B_2_1_minimal_signature_base_matches_the_rfc()
    {
        Assert.Equal(Rfc9421Vectors.MinimalBase, BaseFor(Rfc9421Vectors.MinimalSignatureInput));
    }

    [Fact]
    public void B_2_1_minimal_signature_verifies_with_rsa_pss_sha512()
    {
        Assert.True(VerifiesWithRsaPss(BaseFor(Rfc9421Vectors.MinimalSignatureInput), Rfc9421Vectors.MinimalSignature));
    }

    [Fact]
    public void B_2_2_selective_signature_base_matches_the_rfc()
    {
        Assert.Equal(Rfc9421Vectors.SelectiveBase, BaseFor(Rfc9421Vectors.SelectiveSignatureInput));
    }

    [Fact]
    public void B_2_2_selective_signature_verifies_with_rsa_pss_sha512()
    {
        Assert.True(VerifiesWithRsaPss(BaseFor(Rfc9421Vectors.SelectiveSignatureInput), Rfc9421Vectors.SelectiveSignature));
    }

    [Fact]
    public void B_2_3_full_coverage_signature_base_matches_the_rfc()
    {
        Assert.Equal(Rfc9421Vectors.FullCoverageBase, BaseFor(Rfc9421Vectors.FullCoverageSignatureInput));
    }

    [Fact]
    public void B_2_3_full_coverage_signature_verifies_with_rsa_pss_sha512()
    {
        Assert.True(VerifiesWithRsaPss(BaseFor(Rfc9421Vectors.FullCoverageSignatureInput), Rfc9421Vectors.FullCoverageSignature));
    }

    [Fact]
    public async Task B_2_3_full_coverage_request_passes_the_verifier_when_rsa_pss_is_agreed()
    {
        var request = TestRequest(
            new("Signature-Input", Rfc9421Vectors.FullCoverageSignatureInput), new("Signature", Rfc9421Vectors.FullCoverageSignature));
        var verifier = new SignatureVerifier(
            SigningFixtures.Resolver(new Dictionary<string, string> { ["test-key-rsa-pss"] = Rfc9421Vectors.RsaPssPublicKeyPem }),
            new FixedTimeProvider(Created),
            new SignatureVerifierOptions { DefaultRfc9421Algorithm = "rsa-pss-sha512" });

        var result = await verifier.VerifyAsync(request, TestContext.Current.CancellationToken);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal("test-key-rsa-pss", result.KeyId);
    }

    [Fact]
    public async Task B_2_1_minimal_signature_is_refused_because_it_covers_nothing()
    {
        var request = TestRequest(new("Signature-Input", Rfc9421Vectors.MinimalSignatureInput), new("Signature", Rfc9421Vectors.MinimalSignature));
        var verifier = new SignatureVerifier(
            SigningFixtures.Resolver(new Dictionary<string, string> { ["test-key-rsa-pss"] = Rfc9421Vectors.RsaPssPublicKeyPem }),
            new FixedTimeProvider(Created),
            new SignatureVerifierOptions { DefaultRfc9421Algorithm = "rsa-pss-sha512" });

        var result = await verifier.VerifyAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
    }

    [Fact]
    public void B_2_5_signature_base_matches_the_rfc_and_its_hmac()
    {
        var signatureBase = BaseFor(Rfc9421Vectors.HmacSignatureInput);

        Assert.Equal(Rfc9421Vectors.HmacBase, signatureBase);
        // HMAC is deterministic: recomputing the RFC's value proves the base byte for byte.
        var mac = HMACSHA256.HashData(Convert.FromBase64String(Rfc9421Vectors.SharedSecretBase64), Encoding.ASCII.GetBytes(signatureBase));
        Assert.Equal(SignatureOf(Rfc9421Vectors.HmacSignature), mac);
    }

    [Fact]
    public void B_2_6_signature_base_matches_the_rfc()
    {
        Assert.Equal(Rfc9421Vectors.Ed25519Base, BaseFor(Rfc9421Vectors.Ed25519SignatureInput));
    }

    [Fact]
    public void Test_request_content_digest_matches_its_body()
    {
        Assert.Equal(
            DigestCheck.Matches,
            BodyDigest.CheckContentDigestField(Rfc9421Vectors.ContentDigest, Encoding.UTF8.GetBytes(Rfc9421Vectors.Body)));
    }

    [Fact]
    public void Signature_params_serialise_as_in_signature_input()
    {
        var parameters = ParametersOf(Rfc9421Vectors.SelectiveSignatureInput);

        Assert.Equal(Rfc9421Vectors.SelectiveSignatureInput, "sig-b22=" + parameters.Serialize());
        Assert.Equal(1618884473, parameters.Created);
        Assert.Equal("test-key-rsa-pss", parameters.KeyId);
        Assert.Equal("header-example", parameters.Tag);
        Assert.Null(parameters.Algorithm);
    }

    [Theory]
    [InlineData("var", "this%20is%20a%20big%0Amultiline%20value")]
    [InlineData("bar", "with%20plus%20whitespace")]
    [InlineData("fa%C3%A7ade%22%3A%20", "something")]
    public void Query_parameters_are_encoded_as_section_2_2_8_shows(string encodedName, string expectedValue)
    {
        // RFC 9421 §2.2.8's example request.
        var request = SigningFixtures.Describe(
            "GET",
            "https://www.example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something",
            [new("Host", "www.example.com")]);
        var parameters = new SignatureParameters([ComponentIdentifier.QueryParameter(encodedName)], []);

        Assert.True(Rfc9421Signature.TryBuildSignatureBase(request, parameters, out var signatureBase, out var error), error);

        Assert.Equal($"\"@query-param\";name=\"{encodedName}\": {expectedValue}", signatureBase.Split('\n')[0]);
    }

    [Theory]
    [InlineData("@method", "POST")]
    [InlineData("@target-uri", "https://www.example.com/path?param=value")]
    [InlineData("@authority", "www.example.com")]
    [InlineData("@scheme", "https")]
    [InlineData("@request-target", "/path?param=value")]
    [InlineData("@path", "/path")]
    [InlineData("@query", "?param=value")]
    public void Derived_components_take_the_values_section_2_2_shows(string component, string expectedValue)
    {
        var request = SigningFixtures.Describe("POST", "https://www.example.com/path?param=value", [new("Host", "www.example.com")]);
        var parameters = new SignatureParameters([new ComponentIdentifier(component)], []);

        Assert.True(Rfc9421Signature.TryBuildSignatureBase(request, parameters, out var signatureBase, out var error), error);

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"\"{component}\": {expectedValue}"), signatureBase.Split('\n')[0]);
    }

    [Fact]
    public void Query_is_a_lone_question_mark_when_absent()
    {
        var request = SigningFixtures.Describe("GET", "https://www.example.com/path", []);

        Assert.True(Rfc9421Signature.TryBuildSignatureBase(
            request, new SignatureParameters([new ComponentIdentifier("@query")], []), out var signatureBase, out var error), error);

        Assert.StartsWith("\"@query\": ?\n", signatureBase, StringComparison.Ordinal);
    }

    [Fact]
    public void Authority_is_lowercased_without_the_default_port()
    {
        var request = SigningFixtures.Describe("GET", "https://WWW.Example.com:443/", []);

        Assert.True(Rfc9421Signature.TryBuildSignatureBase(
            request, new SignatureParameters([new ComponentIdentifier("@authority")], []), out var signatureBase, out var error), error);

        Assert.StartsWith("\"@authority\": www.example.com\n", signatureBase, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_fields_are_combined_with_comma_and_space_after_trimming()
    {
        // RFC 9421 §2.1's Cache-Control example.
        var request = SigningFixtures.Describe(
            "GET", "https://www.example.com/", [new("Cache-Control", "max-age=60"), new("Cache-Control", "   must-revalidate")]);

        Assert.True(Rfc9421Signature.TryBuildSignatureBase(
            request, new SignatureParameters([new ComponentIdentifier("cache-control")], []), out var signatureBase, out var error), error);

        Assert.StartsWith("\"cache-control\": max-age=60, must-revalidate\n", signatureBase, StringComparison.Ordinal);
    }

    [Fact]
    public void Covered_field_missing_from_the_request_is_an_error()
    {
        var request = SigningFixtures.Describe("GET", "https://www.example.com/", []);

        Assert.False(Rfc9421Signature.TryBuildSignatureBase(
            request, new SignatureParameters([new ComponentIdentifier("content-digest")], []), out _, out var error));
        Assert.Contains("content-digest", error, StringComparison.Ordinal);
    }
}
