using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plaza.Tests.Members;

/// <summary>
/// One passkey in software, answering as a browser's <c>navigator.credentials</c> does with a phone behind it (WebAuthn
/// Level 3: an ES256 key, "none" attestation, user present and verified), written from the specification so the node's
/// checks (origin, challenge, RP id hash, signature, counter, user handle) meet bytes the node did not make itself. The
/// browser tests use Chromium's own virtual authenticator; this one lets the HTTP tests run every ceremony on both stores.
/// </summary>
internal sealed class SoftAuthenticator(string origin) : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private uint counter;

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The user handle the node gave when the passkey was made, handed back at each sign-in.</summary>
    public byte[] UserHandle { get; private set; } = [];

    /// <summary>The answer to <c>navigator.credentials.create({ publicKey: options })</c>, as passkey.js sends it.</summary>
    public JsonObject Create(JsonElement options)
    {
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var point = key.ExportParameters(false).Q;
        var cose = new CborWriter();
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2); // kty: EC2
        cose.WriteInt32(3);
        cose.WriteInt32(-7); // alg: ES256
        cose.WriteInt32(-1);
        cose.WriteInt32(1); // crv: P-256
        cose.WriteInt32(-2);
        cose.WriteByteString(point.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(point.Y!);
        cose.WriteEndMap();
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        // Flags: user present (0x01), user verified (0x04), attested credential data follows (0x40); AAGUID all zeros.
        byte[] authenticatorData = [.. AuthenticatorData(options.GetProperty("rp").GetProperty("id").GetString()!, 0x45), .. new byte[16], .. length, .. CredentialId, .. cose.Encode()];
        var attestation = new CborWriter();
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();
        return Credential(new JsonObject
        {
            ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
            ["clientDataJSON"] = Base64Url.EncodeToString(ClientData("webauthn.create", options)),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>The answer to <c>navigator.credentials.get({ publicKey: options })</c>: the challenge signed, the counter one up.</summary>
    public JsonObject Get(JsonElement options)
    {
        counter++;
        var authenticatorData = AuthenticatorData(options.GetProperty("rpId").GetString()!, 0x05);
        var clientData = ClientData("webauthn.get", options);
        var signature = key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Credential(new JsonObject
        {
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = Base64Url.EncodeToString(UserHandle),
        });
    }

    public void Dispose() => key.Dispose();

    private byte[] AuthenticatorData(string rpId, byte flags)
    {
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, counter);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), flags, .. count];
    }

    private byte[] ClientData(string type, JsonElement options) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["type"] = type,
        ["challenge"] = options.GetProperty("challenge").GetString(),
        ["origin"] = origin,
        ["crossOrigin"] = false,
    });

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Base64Url.EncodeToString(CredentialId),
        ["rawId"] = Base64Url.EncodeToString(CredentialId),
        ["type"] = "public-key",
        ["clientExtensionResults"] = new JsonObject(),
        ["response"] = response,
    };
}
