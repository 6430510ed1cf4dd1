using Plaza.Federation.Signatures;

namespace Plaza.Federation.Tests.Signatures;

public sealed class SignerIdentityTests
{
    [Fact]
    public void Signer_whose_key_is_the_actor_plus_a_fragment_is_the_actor()
    {
        Assert.True(SignerIdentity.IsActor("https://social.example/users/alice#main-key", "https://social.example/users/alice"));
    }

    [Fact]
    public void Signer_whose_key_is_owned_by_the_actor_is_the_actor()
    {
        Assert.True(SignerIdentity.IsActor(
            "https://social.example/keys/17", "https://social.example/users/alice", keyOwner: "https://social.example/users/alice"));
    }

    [Fact]
    public void Signer_other_than_the_actor_is_refused()
    {
        Assert.False(SignerIdentity.IsActor("https://social.example/users/mallory#main-key", "https://social.example/users/alice"));
        Assert.False(SignerIdentity.IsActor(
            "https://social.example/users/mallory#main-key", "https://social.example/users/alice", keyOwner: "https://social.example/users/mallory"));
    }

    [Fact]
    public void Signer_on_another_host_with_the_same_path_is_refused()
    {
        Assert.False(SignerIdentity.IsActor("https://evil.example/users/alice#main-key", "https://social.example/users/alice"));
    }

    [Fact]
    public void Activity_without_an_actor_has_no_matching_signer()
    {
        Assert.False(SignerIdentity.IsActor("https://social.example/users/alice#main-key", ""));
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
