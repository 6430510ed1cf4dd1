using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Data;
using Plaza.Features.Federation;
using Plaza.Federation.Signatures;

namespace Plaza.Tests.Federation;

/// <summary>
/// Remote fediverse servers as seen through the node's federation HttpClient: serves the actor
/// documents of the accounts a test adds and records what the node POSTs to their inboxes.
/// </summary>
public sealed class FakePeer : HttpMessageHandler
{
    public const string Host = "peer.example";

    private readonly ConcurrentDictionary<string, PeerActor> actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> objects = new(StringComparer.Ordinal);
    private int keysUsed;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public ConcurrentQueue<Uri> Fetches { get; } = new();

    /// <summary>How the peer's inboxes answer; 202 unless a test says otherwise.</summary>
    public Func<ReceivedRequest, HttpStatusCode> InboxStatus { get; set; } = _ => HttpStatusCode.Accepted;

    /// <summary>Adds to an inbox's answer what a test needs (a Retry-After header); nothing unless a test says so.</summary>
    public Action<ReceivedRequest, HttpResponseMessage> InboxAnswer { get; set; } = (_, _) => { };

    /// <summary>A status some GETs answer instead of the document (a server that is down); none unless a test says so.</summary>
    public Func<Uri, HttpStatusCode?> FetchStatus { get; set; } = _ => null;

    public sealed record PeerActor(string Id, RsaKeyPair Keys, string Inbox, string? SharedInbox)
    {
        public SigningKey SigningKey => new(Id + "#main-key", Keys.PrivateKeyPem);
    }

    public sealed record ReceivedRequest(string Method, Uri Uri, List<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

        public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Puts a fake peer behind the app's federation HttpClient.</summary>
    public static FakePeer For(PlazaApp app)
    {
        var peer = new FakePeer();
        app.ServiceOverrides.Add(services => services.AddHttpClient(FederationHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => peer));
        return peer;
    }

    public PeerActor AddActor(string name, string host = Host, bool sharedInbox = true)
    {
        var id = $"https://{host}/users/{name}";
        var actor = new PeerActor(id, NextKeys(), id + "/inbox", sharedInbox ? $"https://{host}/inbox" : null);
        actors[id] = actor;
        return actor;
    }

    /// <summary>The account gets a new key pair (as after a key rotation); its old key stops working.</summary>
    public PeerActor RotateKey(PeerActor actor)
    {
        var rotated = actor with { Keys = NextKeys() };
        actors[actor.Id] = rotated;
        return rotated;
    }

    /// <summary>A key pair no other account of this peer has: one of <see cref="TestKeys"/>, which every peer draws from in the same order.</summary>
    private RsaKeyPair NextKeys() => TestKeys.Get(Interlocked.Increment(ref keysUsed) - 1);

    /// <summary>An account whose actor document lies about its id, claiming to be <paramref name="claimed"/>.</summary>
    public PeerActor AddImpostor(string name, PeerActor claimed)
    {
        var impostor = AddActor(name);
        impostors[impostor.Id] = claimed.Id;
        return impostor;
    }

    private readonly ConcurrentDictionary<string, string> impostors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> descriptions = new(StringComparer.Ordinal);

    /// <summary>Adds properties to the account's actor document (type, location, attachments…).</summary>
    public void Describe(PeerActor actor, JsonObject properties) => descriptions[actor.Id] = properties;

    /// <summary>Serves <paramref name="document"/> (a Note, a collection page…) at its id, query included.</summary>
    public void Publish(JsonObject document) => objects[document["id"]!.GetValue<string>()] = document.ToJsonString();

    public IEnumerable<ReceivedRequest> PostsTo(string inbox) => Received.Where(r => r.Method == "POST" && r.Uri.ToString() == inbox);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        if (request.Content is not null)
        {
            headers.AddRange(request.Content.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
        }
        var uri = request.RequestUri!;
        if (request.Method == HttpMethod.Get)
        {
            Fetches.Enqueue(uri);
            if (FetchStatus(uri) is { } down)
            {
                return new HttpResponseMessage(down);
            }
            if (uri.AbsolutePath == "/.well-known/webfinger")
            {
                var account = Uri.UnescapeDataString(uri.Query.Split("resource=")[1]);
                var name = account["acct:".Length..account.IndexOf('@', StringComparison.Ordinal)];
                var match = actors.Values.FirstOrDefault(a => a.Id == $"https://{uri.Authority}/users/{name}");
                return match is null
                    ? new HttpResponseMessage(HttpStatusCode.NotFound)
                    : new HttpResponseMessage(HttpStatusCode.OK)
                    {
                        Content = new StringContent(
                            new JsonObject { ["subject"] = account, ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["type"] = "application/activity+json", ["href"] = match.Id }) }.ToJsonString(),
                            Encoding.UTF8, "application/jrd+json"),
                    };
            }
            var id = uri.GetLeftPart(UriPartial.Path);
            if (objects.TryGetValue(uri.GetLeftPart(UriPartial.Query), out var published) || objects.TryGetValue(id, out published))
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(published, Encoding.UTF8, "application/activity+json") };
            }
            return actors.TryGetValue(id, out var actor)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ActorDocument(actor, impostors.GetValueOrDefault(id), descriptions.GetValueOrDefault(id)), Encoding.UTF8, "application/activity+json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
        }
        var received = new ReceivedRequest(request.Method.Method, uri, headers, body);
        Received.Enqueue(received);
        var answer = new HttpResponseMessage(InboxStatus(received));
        InboxAnswer(received, answer);
        return answer;
    }

    // Shared across the factory's handler rotations, so disposing one rotation must not end it.
    protected override void Dispose(bool disposing) => base.Dispose(false);

    private static string ActorDocument(PeerActor actor, string? claimedId, JsonObject? description)
    {
        var document = BaseDocument(actor, claimedId);
        foreach (var (name, value) in description ?? [])
        {
            document[name] = value?.DeepClone();
        }
        return document.ToJsonString();
    }

    private static JsonObject BaseDocument(PeerActor actor, string? claimedId) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = claimedId ?? actor.Id,
        ["type"] = "Person",
        ["preferredUsername"] = actor.Id[(actor.Id.LastIndexOf('/') + 1)..],
        ["inbox"] = actor.Inbox,
        ["endpoints"] = actor.SharedInbox is null ? null : new JsonObject { ["sharedInbox"] = actor.SharedInbox },
        ["publicKey"] = new JsonObject { ["id"] = actor.Id + "#main-key", ["owner"] = actor.Id, ["publicKeyPem"] = actor.Keys.PublicKeyPem },
    };

    public static JsonObject Follow(PeerActor actor, string target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}/follows/{Guid.NewGuid():N}",
        ["type"] = "Follow",
        ["actor"] = actor.Id,
        ["object"] = target,
    };

    public static JsonObject Undo(PeerActor actor, JsonObject follow) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}/undos/{Guid.NewGuid():N}",
        ["type"] = "Undo",
        ["actor"] = actor.Id,
        ["object"] = JsonNode.Parse(follow.ToJsonString()),
    };

    public static JsonObject Like(PeerActor actor, string target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}/likes/{Guid.NewGuid():N}",
        ["type"] = "Like",
        ["actor"] = actor.Id,
        ["object"] = target,
    };

    /// <summary>POSTs an activity to the node, signed by <paramref name="signer"/> the way a peer would.</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(
        HttpClient client, string path, PeerActor signer, JsonObject activity, bool rfc9421 = false,
        TimeProvider? clock = null, Action<HttpRequestMessage>? afterSigning = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("http://localhost"), path))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/activity+json"),
        };
        if (rfc9421)
        {
            await Rfc9421Signature.SignAsync(request, signer.SigningKey, clock ?? TimeProvider.System);
        }
        else
        {
            await CavageSignature.SignAsync(request, signer.SigningKey, clock ?? TimeProvider.System);
        }
        afterSigning?.Invoke(request);
        return await client.SendAsync(request);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 15) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, seconds);

    /// <summary>
    /// Waits until the node has nothing left to do for its peers: every received activity processed
    /// and every queued delivery delivered or given up. What a test checks after this cannot still be
    /// on its way, so "only one was sent" is a fact rather than a guess after a pause.
    /// </summary>
    public static Task WaitUntilSettledAsync(PlazaApp app, int seconds = 15) =>
        WaitUntilAsync(() => app.WithDb(null, async db =>
            !await db.InboxActivities.AnyAsync(a => a.ProcessedAt == null)
            && !await db.Deliveries.IgnoreQueryFilters([PlazaDb.ShopFilter]).AnyAsync(d => d.DeliveredAt == null && d.FailedAt == null)),
            "the node has processed what it received and sent what it queued", seconds);

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
