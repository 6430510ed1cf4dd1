using Plaza.Federation.Signatures;
using static Plaza.Federation.Tests.Signatures.SigningFixtures;

namespace Plaza.Federation.Tests.Signatures;

public sealed class Rfc9421SignatureTests
{
    private readonly FixedTimeProvider clock = new(SignedAt);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rfc9421_signature_made_here_verifies()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal(SignatureFormat.Rfc9421, result.Format);
        Assert.Equal(AliceKeyId, result.KeyId);
        Assert.Equal(["\"@method\"", "\"@target-uri\"", "\"content-digest\""], result.CoveredComponents);
    }

    [Fact]
    public async Task Rfc9421_signature_has_the_shape_fedify_sends()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        Assert.Equal(
            $"sig1=(\"@method\" \"@target-uri\" \"content-digest\");created={SignedAt.ToUnixTimeSeconds()};keyid=\"{AliceKeyId}\";alg=\"rsa-v1_5-sha256\"",
            Assert.Single(request.Headers.GetValues("Signature-Input")));
        Assert.Matches("^sig1=:[A-Za-z0-9+/]+=*:$", Assert.Single(request.Headers.GetValues("Signature")));
        Assert.Equal(
            BodyDigest.ContentDigestFieldValue(System.Text.Encoding.UTF8.GetBytes(NoteBody)),
            Assert.Single(request.Headers.GetValues("Content-Digest")));
        Assert.False(request.Headers.Contains("Digest"));
    }

    [Fact]
    public async Task Rfc9421_signed_get_verifies_without_a_digest()
    {
        using var request = Get("https://social.example/users/alice/outbox?page=true");
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
        Assert.Equal(["\"@method\"", "\"@target-uri\""], result.CoveredComponents);
    }

    [Fact]
    public async Task Signing_again_leaves_one_format_on_the_request()
    {
        using var request = PostToInbox();
        await CavageSignature.SignAsync(request, AliceSigningKey, clock, Cancellation);
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        Assert.False(request.Headers.Contains("Digest"));
        Assert.Single(request.Headers.GetValues("Signature"));
        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);
        Assert.Equal(SignatureFormat.Rfc9421, result.Format);
        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Tampered_body_is_refused_by_the_content_digest()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, body: NoteBody.Replace("Create", "Delete", StringComparison.Ordinal));
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.DigestMismatch, result.Failure);
    }

    [Fact]
    public async Task Wrong_content_digest_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(
            request, replaceFields: new Dictionary<string, string?> { ["Content-Digest"] = BodyDigest.ContentDigestFieldValue("other"u8) });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.DigestMismatch, result.Failure);
    }

    [Fact]
    public async Task Signature_created_more_than_an_hour_ago_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        clock.Now = SignedAt.AddMinutes(61);
        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.Expired, result.Failure);
    }

    [Fact]
    public async Task Signature_created_far_in_the_future_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, new FixedTimeProvider(SignedAt.AddDays(1)), Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.FromTheFuture, result.Failure);
    }

    [Fact]
    public async Task Signature_past_its_expiry_is_refused()
    {
        var received = Describe("GET", "https://social.example/users/alice", []);
        var parameters = new SignatureParameters(
            [new("@method"), new("@target-uri")],
            [new("created", SignedAt.ToUnixTimeSeconds()), new("expires", SignedAt.AddSeconds(30).ToUnixTimeSeconds()), new("keyid", AliceKeyId)]);
        var (input, signature) = Rfc9421Fields(received, parameters, Alice.PrivateKeyPem);

        clock.Now = SignedAt.AddMinutes(1);
        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", "https://social.example/users/alice", [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.Expired, result.Failure);
    }

    [Fact]
    public async Task Post_whose_signature_leaves_out_the_content_digest_is_refused()
    {
        var unsigned = Describe("POST", Inbox, [new("Content-Digest", BodyDigest.ContentDigestFieldValue("{}"u8))], "{}");
        var parameters = SignatureParameters.Create([new("@method"), new("@target-uri")], SignedAt, AliceKeyId, "rsa-v1_5-sha256");
        var (input, signature) = Rfc9421Fields(unsigned, parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("POST", Inbox, [new("Content-Digest", BodyDigest.ContentDigestFieldValue("{}"u8)), new("Signature-Input", input), new("Signature", signature)], "{}"),
            Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
        Assert.Contains("content-digest", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_that_leaves_out_the_target_is_refused()
    {
        const string target = "https://social.example/users/alice";
        var parameters = SignatureParameters.Create([new("@method")], SignedAt, AliceKeyId, "rsa-v1_5-sha256");
        var (input, signature) = Rfc9421Fields(Describe("GET", target, []), parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
    }

    [Fact]
    public async Task Authority_path_and_query_may_stand_in_for_the_target_uri()
    {
        const string target = "https://social.example/users/alice/outbox?page=2";
        var parameters = SignatureParameters.Create(
            [new("@method"), new("@authority"), new("@path"), new("@query")], SignedAt, AliceKeyId, "rsa-v1_5-sha256");
        var (input, signature) = Rfc9421Fields(Describe("GET", target, []), parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Authority_and_path_without_the_query_are_refused_when_there_is_a_query()
    {
        const string target = "https://social.example/users/alice/outbox?page=2";
        var parameters = SignatureParameters.Create([new("@method"), new("@authority"), new("@path")], SignedAt, AliceKeyId, "rsa-v1_5-sha256");
        var (input, signature) = Rfc9421Fields(Describe("GET", target, []), parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.ComponentNotCovered, result.Failure);
    }

    [Fact]
    public async Task Signature_without_alg_is_checked_as_rsa_v1_5_sha256()
    {
        const string target = "https://social.example/users/alice";
        var parameters = new SignatureParameters(
            [new("@method"), new("@target-uri")], [new("created", SignedAt.ToUnixTimeSeconds()), new("keyid", AliceKeyId)]);
        var (input, signature) = Rfc9421Fields(Describe("GET", target, []), parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task Signature_without_created_is_refused()
    {
        const string target = "https://social.example/users/alice";
        var parameters = new SignatureParameters([new("@method"), new("@target-uri")], [new("keyid", AliceKeyId)]);
        var (input, signature) = Rfc9421Fields(Describe("GET", target, []), parameters, Alice.PrivateKeyPem);

        var result = await Verifier(clock).VerifyAsync(
            Describe("GET", target, [new("Signature-Input", input), new("Signature", signature)]), Cancellation);

        Assert.Equal(SignatureFailure.Malformed, result.Failure);
    }

    [Fact]
    public async Task Signature_made_with_another_key_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, new SigningKey(AliceKeyId, Mallory.PrivateKeyPem), clock, Cancellation);

        var result = await Verifier(clock).VerifyAsync(await ReceivedAsync(request), Cancellation);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Request_replayed_to_another_inbox_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, targetUri: "https://shop.example/actors/florist/inbox");
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.BadSignature, result.Failure);
    }

    [Fact]
    public async Task Signature_input_without_its_signature_is_refused()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);

        var received = await ReceivedAsync(request, replaceFields: new Dictionary<string, string?> { ["Signature"] = "other=:AAAA:" });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.Equal(SignatureFailure.Malformed, result.Failure);
    }

    [Fact]
    public async Task One_good_signature_among_several_is_enough()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);
        var sent = await SignableRequest.FromHttpRequestMessageAsync(request, Cancellation);

        var received = await ReceivedAsync(request, replaceFields: new Dictionary<string, string?>
        {
            ["Signature-Input"] = "proxy=(\"@method\");created=1;keyid=\"proxy\", " + sent.Header("Signature-Input"),
            ["Signature"] = "proxy=:AAAA:, " + sent.Header("Signature"),
        });
        var result = await Verifier(clock).VerifyAsync(received, Cancellation);

        Assert.True(result.IsVerified, result.Detail);
    }

    [Fact]
    public async Task At_most_two_signatures_of_one_request_are_tried()
    {
        using var request = PostToInbox();
        await Rfc9421Signature.SignAsync(request, AliceSigningKey, clock, Cancellation);
        var sent = await SignableRequest.FromHttpRequestMessageAsync(request, Cancellation);
        var asked = new List<string>();
        var keys = Resolver(new Dictionary<string, string> { [AliceKeyId] = Alice.PublicKeyPem });
        ValueTask<string?> Counting(string keyId, CancellationToken ct)
        {
            asked.Add(keyId);
            return keys(keyId, ct);
        }

        // Two decoys, each naming its own key, in front of the good signature: each key could cost a fetch.
        var received = await ReceivedAsync(request, replaceFields: new Dictionary<string, string?>
        {
            ["Signature-Input"] = "a=(\"@method\" \"@target-uri\" \"content-digest\");created=" + clock.GetUtcNow().ToUnixTimeSeconds() + ";keyid=\"https://one.example/k\", "
                + "b=(\"@method\" \"@target-uri\" \"content-digest\");created=" + clock.GetUtcNow().ToUnixTimeSeconds() + ";keyid=\"https://two.example/k\", " + sent.Header("Signature-Input"),
            ["Signature"] = "a=:AAAA:, b=:AAAA:, " + sent.Header("Signature"),
        });
        var result = await Verifier(clock, Counting).VerifyAsync(received, Cancellation);

        Assert.False(result.IsVerified);
        Assert.Equal(["https://one.example/k", "https://two.example/k"], asked);
    }
}
