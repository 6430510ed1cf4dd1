using System.Security.Cryptography;

namespace Plaza.Federation.Signatures;

/// <summary>
/// Body digests: the legacy <c>Digest</c> field (RFC 3230) that draft-cavage signatures cover,
/// and <c>Content-Digest</c> (RFC 9530) that RFC 9421 signatures cover.
/// </summary>
public static class BodyDigest
{
    /// <summary>The <c>Digest</c> field value Mastodon expects: <c>SHA-256=base64</c>.</summary>
    public static string DigestFieldValue(ReadOnlySpan<byte> body) =>
        "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>The <c>Content-Digest</c> field value: <c>sha-256=:base64:</c>.</summary>
    public static string ContentDigestFieldValue(ReadOnlySpan<byte> body) =>
        "sha-256=:" + Convert.ToBase64String(SHA256.HashData(body)) + ":";

    /// <summary>
    /// Checks a <c>Digest</c> value (<c>SHA-256=…</c>, optionally with <c>SHA-512=…</c>, names
    /// case-insensitive) against the body: every SHA-2 digest present must match, and at least one must be present.
    /// </summary>
    public static DigestCheck CheckDigestField(string? fieldValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(fieldValue))
        {
            return DigestCheck.Missing;
        }

        var checkedAny = false;
        foreach (var entry in fieldValue.Split(','))
        {
            // Split at the first '=' only: base64 ends in '=' padding.
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return DigestCheck.Malformed;
            }

            var algorithm = entry[..equals].Trim();
            if (!TryDecode(entry[(equals + 1)..].Trim(), out var claimed))
            {
                return DigestCheck.Malformed;
            }

            if (Hash(algorithm, body) is not { } actual)
            {
                continue;
            }

            checkedAny = true;
            if (!CryptographicOperations.FixedTimeEquals(actual, claimed))
            {
                return DigestCheck.Mismatch;
            }
        }

        return checkedAny ? DigestCheck.Matches : DigestCheck.NoSupportedAlgorithm;
    }

    /// <summary>
    /// Checks a <c>Content-Digest</c> value (an RFC 8941 dictionary such as <c>sha-256=:…:</c> or
    /// <c>sha-512=:…:</c>) against the body: every supported digest present must match, and at least one must be present.
    /// </summary>
    public static DigestCheck CheckContentDigestField(string? fieldValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(fieldValue))
        {
            return DigestCheck.Missing;
        }

        if (StructuredFields.ParseDictionary(fieldValue) is not { } members)
        {
            return DigestCheck.Malformed;
        }

        var checkedAny = false;
        foreach (var (algorithm, member) in members)
        {
            if (Hash(algorithm, body) is not { } actual)
            {
                continue;
            }

            if (member.Item is not byte[] claimed)
            {
                return DigestCheck.Malformed;
            }

            checkedAny = true;
            if (!CryptographicOperations.FixedTimeEquals(actual, claimed))
            {
                return DigestCheck.Mismatch;
            }
        }

        return checkedAny ? DigestCheck.Matches : DigestCheck.NoSupportedAlgorithm;
    }

    private static byte[]? Hash(string algorithm, ReadOnlySpan<byte> body) => algorithm.ToUpperInvariant() switch
    {
        "SHA-256" => SHA256.HashData(body),
        "SHA-512" => SHA512.HashData(body),
        _ => null,
    };

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        if (Convert.TryFromBase64String(base64, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}

/// <summary>The outcome of checking a body digest field.</summary>
public enum DigestCheck
{
    /// <summary>Every supported digest in the field matches the body.</summary>
    Matches,

    /// <summary>The field is absent or empty.</summary>
    Missing,

    /// <summary>The field cannot be parsed.</summary>
    Malformed,

    /// <summary>The field names only algorithms this library does not compute (e.g. MD5).</summary>
    NoSupportedAlgorithm,

    /// <summary>A digest does not match the body: the body was changed, or the digest is wrong.</summary>
    Mismatch,
}
