using System.Security.Cryptography;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Signatures;

/// <summary>An RSA key pair as PEM text, ready to store and to publish in an actor's <c>publicKey</c>.</summary>
/// <param name="PublicKeyPem">The public key as SPKI PEM (<c>-----BEGIN PUBLIC KEY-----</c>), the form Mastodon publishes.</param>
/// <param name="PrivateKeyPem">The private key as unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</param>
public sealed record RsaKeyPair(string PublicKeyPem, string PrivateKeyPem)
{
    /// <summary>Generates a fresh key pair; 2048 bits is what Mastodon generates and every peer accepts.</summary>
    public static RsaKeyPair Generate(int keySizeInBits = 2048)
    {
        using var rsa = RSA.Create(keySizeInBits);
        return new RsaKeyPair(rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <inheritdoc />
    // Keep the private key out of logs that print records.
    public override string ToString() => $"RsaKeyPair {{ PublicKeyPem = {PublicKeyPem} }}";
}

/// <summary>The key a request is signed with: the <c>keyId</c> peers will resolve and the private key.</summary>
/// <param name="KeyId">The key's IRI, e.g. <c>https://shop.example/actors/bakery#main-key</c>.</param>
/// <param name="PrivateKeyPem">The RSA private key as PKCS#8 (or PKCS#1) PEM.</param>
public sealed record SigningKey(string KeyId, string PrivateKeyPem)
{
    /// <inheritdoc />
    public override string ToString() => $"SigningKey {{ KeyId = {KeyId} }}";
}

/// <summary>Resolves a signature's <c>keyId</c> to the signer's public key PEM; null when it cannot be found.</summary>
/// <param name="keyId">The key identifier from the signature.</param>
/// <param name="cancellationToken">Cancels the look-up.</param>
public delegate ValueTask<string?> PublicKeyResolver(string keyId, CancellationToken cancellationToken);

/// <summary>
/// Whether a verified signer may act for an activity's actor, and which published key belongs to an
/// actor. A key id says nothing by itself: anyone can publish a document claiming any key id, so a
/// key counts for an actor only when that actor's own document publishes it and both share an origin
/// (as Mastodon checks).
/// </summary>
public static class SignerIdentity
{
    /// <summary>
    /// True when the verified key's owner is the activity's actor and the key is on the actor's origin.
    /// <paramref name="keyOwner"/> must come from the actor document that publishes the key (see
    /// <see cref="PublishedKey"/>), never from the key id's shape: <c>actor#fragment</c> proves nothing.
    /// </summary>
    /// <param name="keyId">The verified signature's key id.</param>
    /// <param name="actorId">The activity's <c>actor</c>.</param>
    /// <param name="keyOwner">The actor whose fetched document publishes the key, or null when none does.</param>
    public static bool IsActor(string keyId, string actorId, string? keyOwner)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return !string.IsNullOrEmpty(actorId)
            && string.Equals(keyOwner, actorId, StringComparison.Ordinal)
            && SameOrigin(keyId, actorId);
    }

    /// <summary>True when both are absolute http(s) IRIs with the same scheme, host and port.</summary>
    public static bool SameOrigin(string? first, string? second) =>
        Uri.TryCreate(first, UriKind.Absolute, out var a) && Uri.TryCreate(second, UriKind.Absolute, out var b)
        && a.Scheme is "https" or "http"
        && string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The key with id <paramref name="keyId"/> (or, when null, the first key) that <paramref name="actor"/>'s
    /// document publishes, if it may belong to the actor: on the actor's origin, with no <c>owner</c> or
    /// the actor as owner. The entry may be a bare IRI (no PEM): its document lives at its own URL and
    /// must be fetched and checked with <see cref="IsKeyDocumentOf"/>.
    /// </summary>
    public static ActorPublicKey? PublishedKey(Actor actor, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Id is not { } actorId || actor.PublicKey is not { } keys)
        {
            return null;
        }

        return keys.FirstOrDefault(key => key.Id is { } id
            && (keyId is null || string.Equals(id, keyId, StringComparison.Ordinal))
            && SameOrigin(id, actorId)
            && (key.Owner is null || string.Equals(key.Owner, actorId, StringComparison.Ordinal)));
    }

    /// <summary>
    /// True when <paramref name="key"/>, fetched from its own URL, is the key <paramref name="keyId"/>
    /// owned by <paramref name="actorId"/> on the actor's origin, with a PEM.
    /// </summary>
    public static bool IsKeyDocumentOf(ActorPublicKey key, string keyId, string actorId)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Equals(key.Id, keyId, StringComparison.Ordinal)
            && string.Equals(key.Owner, actorId, StringComparison.Ordinal)
            && !string.IsNullOrWhiteSpace(key.PublicKeyPem)
            && SameOrigin(keyId, actorId);
    }
}

/// <summary>The RSA signature algorithms by the names the two signature formats use.</summary>
internal static class RsaAlgorithms
{
    public const string Rfc9421Pkcs1Sha256 = "rsa-v1_5-sha256";
    public const string Rfc9421PssSha512 = "rsa-pss-sha512";
    public const string CavageRsaSha256 = "rsa-sha256";
    public const string CavageHs2019 = "hs2019";

    public static bool TryGet(string name, out HashAlgorithmName hash, out RSASignaturePadding padding)
    {
        switch (name)
        {
            // hs2019 leaves the algorithm to the key; with an RSA key Mastodon and its peers mean PKCS#1 v1.5 SHA-256.
            case Rfc9421Pkcs1Sha256 or CavageRsaSha256 or CavageHs2019:
                hash = HashAlgorithmName.SHA256;
                padding = RSASignaturePadding.Pkcs1;
                return true;
            case Rfc9421PssSha512:
                // RFC 9421 §3.3.1: MGF1 with SHA-512 and a 64-byte salt, which is .NET's PSS default for SHA-512.
                hash = HashAlgorithmName.SHA512;
                padding = RSASignaturePadding.Pss;
                return true;
            default:
                hash = default;
                padding = RSASignaturePadding.Pkcs1;
                return false;
        }
    }

    public static byte[] Sign(string privateKeyPem, string algorithm, byte[] data)
    {
        if (!TryGet(algorithm, out var hash, out var padding))
        {
            throw new ArgumentException($"Unsupported algorithm {algorithm}.", nameof(algorithm));
        }

        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return rsa.SignData(data, hash, padding);
    }

    /// <summary>Verifies; null when the PEM is not a usable RSA public key.</summary>
    public static bool? Verify(string publicKeyPem, string algorithm, byte[] data, byte[] signature)
    {
        if (!TryGet(algorithm, out var hash, out var padding))
        {
            return false;
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicKeyPem);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }

        return rsa.VerifyData(data, signature, hash, padding);
    }
}
