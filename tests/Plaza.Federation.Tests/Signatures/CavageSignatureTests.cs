using Plaza.Federation.Signatures;
using static Plaza.Federation.Tests.Signatures.SigningFixtures;

namespace Plaza.Federation.Tests.Signatures;

public sealed class CavageSignatureTests
{
    private readonly FixedTimeProvider clock = new(SignedAt);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cavage_signature_made_here_verifies()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal(SignatureFormat.Cavage, result.Format);
        Assert.Equal(AliceKeyId, result.KeyId);
        Assert.Equal(["(request-target)", "host", "date", "digest"], result.CoveredComponents);
    }

    [Fact]
    public async Task Cavage_signature_has_the_shape_mastodon_expects()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var signature = Assert.Single(request.Headers.GetValues("Signature"));
        Assert.StartsWith(
            $"keyId=\"{AliceKeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"",
            signature,
            StringComparison.Ordinal);
        Assert.Equal(BodyDigest.DigestFieldValue(System.Text.Encoding.UTF8.GetBytes(NoteBody)), Assert.Single(request.Headers.GetValues("Digest")));
        Assert.Equal("Sat, 14 Mar 2026 09:26:53 GMT", Assert.Single(request.Headers.GetValues("Date")));
        Assert.Equal("shop.example", request.Headers.Host);
        Assert.False(request.Headers.Contains("Signature-Input"));
    }

    [Fact]
    public async Task Cavage_signed_get_verifies_without_a_digest()
    {
        using var request = Get("https://social.example/users/alice/outbox?page=true");
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal(["(request-target)", "host", "date"], result.CoveredComponents);
        Assert.False(request.Headers.Contains("Digest"));
    }

    [Fact]
    public async Task Changed_query_is_refused_because_the_request_target_includes_it()
    {
        using var request = Get("https://social.example/users/alice/outbox?page=1");
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, targetUri: "https://social.example/users/alice/outbox?page=2");
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Tampered_body_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, body: NoteBody.Replace("Create", "Delete", StringComparison.Ordinal));
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.DigestMismatch, result.Failure);
        Assert.Equal(AliceKeyId, result.KeyId);
    }

    [Fact]
    public async Task Wrong_digest_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var wrongDigest = BodyDigest.DigestFieldValue("something else"u8);
        var received = await ReceivedAsync(request, replaceFields: new Dictionary<string, string?> { ["Digest"] = wrongDigest });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.DigestMismatch, result.Failure);
    }

    [Fact]
    public async Task Body_replaced_with_a_matching_digest_fails_the_signature()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        const string forged = """{"type":"Delete"}""";
        var received = await ReceivedAsync(
            request,
            body: forged,
            replaceFields: new Dictionary<string, string?> { ["Digest"] = BodyDigest.DigestFieldValue(System.Text.Encoding.UTF8.GetBytes(forged)) });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Missing_digest_on_a_post_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, replaceFields: new Dictionary<string, string?> { ["Digest"] = null });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.DigestMissing, result.Failure);
    }

    [Fact]
    public async Task Signature_older_than_an_hour_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        clock.Now = SignedAt.AddHours(1).AddSeconds(1);
        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.Expired, result.Failure);
    }

    [Fact]
    public async Task Signature_within_the_hour_verifies()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        clock.Now = SignedAt.AddMinutes(59);
        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Date_more_than_five_minutes_ahead_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        clock.Now = SignedAt.AddMinutes(-6);
        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.FromTheFuture, result.Failure);
    }

    [Fact]
    public async Task Post_whose_signature_leaves_out_the_digest_is_refused()
    {
        var received = Describe(
            "POST", Inbox, [new("Host", "shop.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT")], NoteBody);
        var signature = CavageSignatureField(received, ["(request-target)", "host", "date"], Alice.PrivateKeyPem);
        received = Describe(
            "POST", Inbox, [new("Host", "shop.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT"), new("Signature", signature)], NoteBody);

        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
        Assert.Contains("digest", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_whose_signature_leaves_out_the_host_is_refused()
    {
        const string target = "https://social.example/users/alice";
        List<KeyValuePair<string, string>> fields = [new("Host", "social.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT")];
        var signature = CavageSignatureField(Describe("GET", target, fields), ["(request-target)", "date"], Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(Describe("GET", target, [.. fields, new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
        Assert.Contains("host", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_without_a_date_is_refused()
    {
        const string target = "https://social.example/users/alice";
        List<KeyValuePair<string, string>> fields = [new("Host", "social.example")];
        var signature = CavageSignatureField(Describe("GET", target, fields), ["(request-target)", "host"], Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(Describe("GET", target, [.. fields, new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
    }

    [Fact]
    public async Task Hs2019_with_an_rsa_key_verifies()
    {
        const string target = "https://social.example/users/alice";
        List<KeyValuePair<string, string>> fields = [new("Host", "social.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT")];
        var signature = CavageSignatureField(
            Describe("GET", target, fields), ["(request-target)", "host", "date"], Alice.PrivateKeyPem, algorithm: "hs2019");

        var result = await Verifier(clock).VerifyAsync(Describe("GET", target, [.. fields, new("Signature", signature)]), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Signature_in_the_authorization_field_verifies()
    {
        const string target = "https://social.example/users/alice";
        List<KeyValuePair<string, string>> fields = [new("Host", "social.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT")];
        var signature = CavageSignatureField(Describe("GET", target, fields), ["(request-target)", "host", "date"], Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [.. fields, new("Authorization", "Signature " + signature)]), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Unknown_algorithm_is_refused()
    {
        const string target = "https://social.example/users/alice";
        List<KeyValuePair<string, string>> fields = [new("Host", "social.example"), new("Date", "Sat, 14 Mar 2026 09:26:53 GMT")];
        var signature = CavageSignatureField(
            Describe("GET", target, fields), ["(request-target)", "host", "date"], Alice.PrivateKeyPem, algorithm: "hmac-sha256");

        var result = await Verifier(clock).VerifyAsync(Describe("GET", target, [.. fields, new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task Signature_made_with_another_key_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, new SigningKey(AliceKeyId, Mallory.PrivateKeyPem), clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Unknown_key_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, new SigningKey("https://elsewhere.example/users/bob#main-key", Alice.PrivateKeyPem), clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.KeyNotFound, result.Failure);
        Assert.Equal("https://elsewhere.example/users/bob#main-key", result.KeyId);
    }

    [Fact]
    public async Task Key_that_is_not_rsa_is_refused()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        var resolver = Resolver(new Dictionary<string, string> { [AliceKeyId] = ecdsa.ExportSubjectPublicKeyInfoPem() });

        var result = await Verifier(clock, resolver).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.KeyUnusable, result.Failure);
    }

    [Fact]
    public async Task Unsigned_request_is_refused()
    {
        using var request = PostToInbox();

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.NotSigned, result.Failure);
        Assert.Null(result.Format);
    }

    [Fact]
    public async Task Garbled_signature_field_is_refused()
    {
        var received = Describe("GET", "https://social.example/users/alice", [new("Signature", "keyId=\"x\",signature=\"not base64!\"")]);

        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.Malformed, result.Failure);
    }
}
