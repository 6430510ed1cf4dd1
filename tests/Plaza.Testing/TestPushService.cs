using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Plaza.Testing;

/// <summary>
/// A push service of the kind browsers subscribe at (RFC 8030), on 127.0.0.1, written for the tests from the
/// RFCs and independent of the library the node sends with: it checks each request's VAPID token (RFC 8292:
/// an ES256 JWT for this origin, not expired, signed by the key it names) and decrypts the body (RFC 8291,
/// <c>aes128gcm</c> of RFC 8188) with the subscriber's private key and secret, which the test made.
/// What it answers can be set per subscriber (201, or 410 for a subscription that has gone, 503 for an outage).
/// </summary>
public sealed class TestPushService : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Subscriber> subscribers = new();
    private readonly ConcurrentQueue<Received> received = new();
    private readonly SemaphoreSlim arrived = new(0);

    /// <summary>One message as the browser would see it: its JSON, with what the node's request said besides.</summary>
    public sealed record Received(string Subscriber, JsonElement Payload, string VapidKey, int Ttl, string? Urgency)
    {
        public string Title => Payload.GetProperty("title").GetString()!;
        public string Body => Payload.GetProperty("body").GetString()!;
        public string Tag => Payload.GetProperty("tag").GetString()!;
        public string Url => Payload.GetProperty("url").GetString()!;
    }

    /// <summary>A browser's subscription: its keys, and what its push service answers now.</summary>
    public sealed class Subscriber : IDisposable
    {
        internal ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        internal byte[] Secret { get; } = RandomNumberGenerator.GetBytes(16);
        public required string Name { get; init; }
        public required string Endpoint { get; init; }
        public int Answer { get; set; } = StatusCodes.Status201Created;
        public int Refused { get; set; }

        public string P256dh => WebEncoders.Base64UrlEncode(PublicPoint(Key));
        public string Auth => WebEncoders.Base64UrlEncode(Secret);

        /// <summary>What <c>PushSubscription.toJSON()</c> gives in a browser.</summary>
        public object Json => new { endpoint = Endpoint, keys = new { p256dh = P256dh, auth = Auth } };

        public void Dispose() => Key.Dispose();
    }

    public string Origin { get; }
    public IReadOnlyCollection<Received> Messages => [.. received];
    /// <summary>Requests refused because their VAPID token or encryption was wrong (the test asserts there were none).</summary>
    public ConcurrentQueue<string> Faults { get; } = new();
    /// <summary>What the sender's side knows (its queue, say), added to the message of a wait that ran out.</summary>
    public Func<Task<string>>? Explain { get; set; }

    private TestPushService(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    public static async Task<TestPushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TestPushService? service = null;
        app.MapPost("/push/{name}", async (string name, HttpRequest request) => await service!.TakeAsync(name, request));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        service = new TestPushService(app, new Uri(address).GetLeftPart(UriPartial.Authority));
        return service;
    }

    public Subscriber Subscribe(string name)
    {
        var subscriber = new Subscriber { Name = name, Endpoint = $"{Origin}/push/{name}" };
        subscribers[name] = subscriber;
        return subscriber;
    }

    /// <summary>Waits for a message to <paramref name="subscriber"/> whose tag ends with <paramref name="tagEnd"/>.</summary>
    public async Task<Received> WaitForAsync(Subscriber subscriber, string tagEnd, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (received.FirstOrDefault(m => m.Subscriber == subscriber.Name && m.Tag.EndsWith(tagEnd, StringComparison.Ordinal)) is { } message)
            {
                return message;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var sender = Explain is null ? "" : " sender: " + await Explain();
                Assert.Fail($"No push message ending '{tagEnd}' reached {subscriber.Name} in {seconds} s; got: "
                    + string.Join("; ", received.Select(m => $"{m.Subscriber}:{m.Tag}")) + " faults: " + string.Join("; ", Faults) + sender);
            }
            await arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public IReadOnlyList<Received> To(Subscriber subscriber) => [.. received.Where(m => m.Subscriber == subscriber.Name)];

    private async Task<IResult> TakeAsync(string name, HttpRequest request)
    {
        if (!subscribers.TryGetValue(name, out var subscriber))
        {
            return Results.StatusCode(StatusCodes.Status404NotFound);
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (subscriber.Answer != StatusCodes.Status201Created)
        {
            subscriber.Refused++;
            return Results.StatusCode(subscriber.Answer);
        }
        try
        {
            var vapidKey = CheckVapid(request.Headers.Authorization.ToString());
            if (request.Headers.ContentEncoding != "aes128gcm")
            {
                throw new InvalidDataException($"Content-Encoding is '{request.Headers.ContentEncoding}', not aes128gcm.");
            }
            var ttl = int.Parse(request.Headers["TTL"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var plain = Decrypt(subscriber, body.ToArray());
            using var json = JsonDocument.Parse(plain);
            received.Enqueue(new Received(name, json.RootElement.Clone(), vapidKey, ttl, request.Headers["Urgency"].FirstOrDefault()));
            arrived.Release();
            return Results.StatusCode(StatusCodes.Status201Created);
        }
        catch (Exception e) when (e is InvalidDataException or CryptographicException or FormatException or JsonException)
        {
            Faults.Enqueue(e.Message);
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>Checks <c>Authorization: vapid t=JWT, k=key</c> (RFC 8292) and returns the key.</summary>
    private string CheckVapid(string authorization)
    {
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Not a vapid authorization: '{authorization}'.");
        }
        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var token = parameters["t"].Split('.');
        var key = parameters["k"];
        using var header = JsonDocument.Parse(WebEncoders.Base64UrlDecode(token[0]));
        if (header.RootElement.GetProperty("alg").GetString() != "ES256")
        {
            throw new InvalidDataException("The token is not ES256.");
        }
        var point = WebEncoders.Base64UrlDecode(key);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes(token[0] + "." + token[1]), WebEncoders.Base64UrlDecode(token[2]), HashAlgorithmName.SHA256))
        {
            throw new InvalidDataException("The VAPID signature does not verify with the key it names.");
        }
        using var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(token[1]));
        var aud = claims.RootElement.GetProperty("aud").GetString();
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        // RFC 8292 names the push resource's origin; the sending library leaves the port out, which is the
        // same origin for every real push service (all on 443) but not for this one on a test port.
        var host = new Uri(Origin);
        if ((aud != Origin && aud != $"{host.Scheme}://{host.Host}") || exp < DateTimeOffset.UtcNow || exp > DateTimeOffset.UtcNow.AddHours(24)
            || !claims.RootElement.TryGetProperty("sub", out var sub) || sub.GetString() is not { } contact
            || !(contact.StartsWith("mailto:", StringComparison.Ordinal) || contact.StartsWith("https:", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"The token's claims are wrong: aud {aud}, exp {exp:O}.");
        }
        return key;
    }

    /// <summary>RFC 8291 §3.4 and RFC 8188 §2: one record, padded, ending in the 0x02 delimiter.</summary>
    private static byte[] Decrypt(Subscriber subscriber, byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var senderPoint = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];
        if (idLength != 65 || cipher.Length > recordSize)
        {
            throw new InvalidDataException("The header names no P-256 key, or the body is more than one record.");
        }
        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPoint[1..33], Y = senderPoint[33..65] } });
        var shared = subscriber.Key.DeriveRawSecretAgreement(sender.PublicKey);
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(PublicPoint(subscriber.Key)).Concat(senderPoint).ToArray();
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, subscriber.Secret, keyInfo);
        var contentKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(contentKey, 16))
        {
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        }
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
        {
            end--;
        }
        if (end < 0 || plain[end] != 2)
        {
            throw new InvalidDataException("The last record does not end with the 0x02 delimiter.");
        }
        return plain[..end];
    }

    private static byte[] PublicPoint(ECDiffieHellman key)
    {
        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var subscriber in subscribers.Values)
        {
            subscriber.Dispose();
        }
        arrived.Dispose();
    }
}
