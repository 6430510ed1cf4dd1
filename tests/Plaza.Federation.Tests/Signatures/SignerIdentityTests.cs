using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.Signatures;

public sealed class SignerIdentityTests
{
    private const string Alice = "https://social.example/users/alice";

    [Fact]
    public void Signer_whose_key_the_actor_publishes_is_the_actor()
    {
        Assert.True(SignerIdentity.IsActor(Alice + "#main-key", Alice, keyOwner: Alice));
        Assert.True(SignerIdentity.IsActor("https://social.example/keys/17", Alice, keyOwner: Alice));
    }

    [Fact]
    public void Key_id_shaped_like_the_actor_proves_nothing_without_the_owner()
    {
        // The spoofing attack: eve's document claims the key id alice#x; the key id's shape must not vouch for it.
        Assert.False(SignerIdentity.IsActor(Alice + "#x", Alice, keyOwner: null));
        Assert.False(SignerIdentity.IsActor(Alice + "#x", Alice, keyOwner: "https://evil.example/users/eve"));
    }

    [Fact]
    public void Signer_other_than_the_actor_is_refused()
    {
        Assert.False(SignerIdentity.IsActor(
            "https://social.example/users/mallory#main-key", Alice, keyOwner: "https://social.example/users/mallory"));
    }

    [Fact]
    public void Key_on_another_origin_than_its_actor_is_refused()
    {
        Assert.False(SignerIdentity.IsActor("https://evil.example/users/alice#main-key", Alice, keyOwner: Alice));
        Assert.False(SignerIdentity.IsActor("http://social.example/users/alice#main-key", Alice, keyOwner: Alice));
        Assert.False(SignerIdentity.IsActor("https://social.example:8443/users/alice#main-key", Alice, keyOwner: Alice));
    }

    [Fact]
    public void Activity_without_an_actor_has_no_matching_signer()
    {
        Assert.False(SignerIdentity.IsActor(Alice + "#main-key", "", keyOwner: ""));
    }

    [Fact]
    public void Published_key_is_found_only_on_the_actors_origin_and_with_the_actor_as_owner()
    {
        var eve = new Actor
        {
            Id = "https://evil.example/users/eve",
            PublicKey = new ActorPublicKey { Id = Alice + "#x", Owner = "https://evil.example/users/eve", PublicKeyPem = "pem" },
        };
        var claimsAlice = new Actor
        {
            Id = "https://social.example/users/bob",
            PublicKey = new ActorPublicKey { Id = "https://social.example/users/bob#main-key", Owner = Alice, PublicKeyPem = "pem" },
        };
        var alice = new Actor
        {
            Id = Alice,
            PublicKey = new[] { new ActorPublicKey { Id = Alice + "#main-key", PublicKeyPem = "pem" }, new ActorPublicKey { Id = Alice + "/ed25519" } },
        };

        Assert.Null(SignerIdentity.PublishedKey(eve, Alice + "#x"));
        Assert.Null(SignerIdentity.PublishedKey(claimsAlice, null));
        Assert.Equal(Alice + "#main-key", SignerIdentity.PublishedKey(alice, null)?.Id);
        Assert.Equal(Alice + "/ed25519", SignerIdentity.PublishedKey(alice, Alice + "/ed25519")?.Id);
        Assert.Null(SignerIdentity.PublishedKey(alice, Alice + "#other"));
    }

    [Fact]
    public void Key_document_at_its_own_url_belongs_to_its_owner_on_the_same_origin()
    {
        var key = new ActorPublicKey { Id = Alice + "/main-key", Owner = Alice, PublicKeyPem = "pem" };

        Assert.True(SignerIdentity.IsKeyDocumentOf(key, Alice + "/main-key", Alice));
        Assert.False(SignerIdentity.IsKeyDocumentOf(key, Alice + "/main-key", "https://social.example/users/bob"));
        Assert.False(SignerIdentity.IsKeyDocumentOf(key, Alice + "/other-key", Alice));
        Assert.False(SignerIdentity.IsKeyDocumentOf(new ActorPublicKey { Id = Alice + "/main-key", Owner = Alice }, Alice + "/main-key", Alice));
    }

    [Fact]
    public void Generated_key_pair_is_2048_bit_spki_and_pkcs8_pem()
    {
        var pair = RsaKeyPair.Generate();

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pair.PublicKeyPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pair.PrivateKeyPem, StringComparison.Ordinal);
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(pair.PublicKeyPem);
        Assert.Equal(2048, rsa.KeySize);
        Assert.DoesNotContain("PRIVATE", pair.ToString(), StringComparison.Ordinal);
    }
}
