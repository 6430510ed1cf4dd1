using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plaza.Federation.Signatures;

namespace Plaza.Tests.Federation;

/// <summary>
/// A remote fediverse server on a real socket (Kestrel on its own loopback address): serves whatever
/// documents a test publishes — honest actors, or hostile ones that lie about their keys — records
/// what reaches it, and signs activities as its accounts, with any key id a test chooses.
/// </summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, JsonObject> documents = new(StringComparer.Ordinal);

    private LoopbackPeer(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    public string Origin { get; }
    public string Host => new Uri(Origin).Host;

    /// <summary>Every GET the peer answered, by path.</summary>
    public ConcurrentQueue<string> Fetches { get; } = new();

    /// <summary>Every POST the peer received: path and JSON body.</summary>
    public ConcurrentQueue<(string Path, JsonObject Body)> Received { get; } = new();

    public sealed record Account(string Id, RsaKeyPair Keys)
    {
        public string Inbox => Id + "/inbox";
        public string MainKeyId => Id + "#main-key";
    }

    public static async Task<LoopbackPeer> StartAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(address, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackPeer? peer = null;
        app.MapGet("/{**path}", (HttpContext http) =>
        {
            var path = http.Request.Path.Value!;
            peer!.Fetches.Enqueue(path);
            return peer.documents.TryGetValue(path, out var document)
                ? Results.Text(document.ToJsonString(), "application/activity+json", Encoding.UTF8)
                : Results.NotFound();
        });
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            peer!.Received.Enqueue((http.Request.Path.Value!, body!.AsObject()));
            return Results.Accepted();
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        peer = new LoopbackPeer(app, bound.TrimEnd('/'));
        return peer;
    }

    /// <summary>Publishes <paramref name="document"/> at <paramref name="id"/> (an IRI on this peer).</summary>
    public void Publish(string id, JsonObject document) => documents[new Uri(id).AbsolutePath] = document;

    /// <summary>
    /// An account with a fresh key pair. Its actor document publishes <paramref name="publicKey"/> when
    /// given (a lie, a bare key IRI…), otherwise the honest embedded <c>#main-key</c>.
    /// </summary>
    public Account AddAccount(string name, Func<Account, JsonNode>? publicKey = null)
    {
        var account = new Account($"{Origin}/users/{name}", RsaKeyPair.Generate());
        Publish(account.Id, new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = account.Id,
            ["type"] = "Person",
            ["preferredUsername"] = name,
            ["inbox"] = account.Inbox,
            ["outbox"] = account.Id + "/outbox",
            ["followers"] = account.Id + "/followers",
            ["publicKey"] = publicKey?.Invoke(account)
                ?? new JsonObject { ["id"] = account.MainKeyId, ["owner"] = account.Id, ["publicKeyPem"] = account.Keys.PublicKeyPem },
        });
        return account;
    }

    /// <summary>POSTs <paramref name="activity"/> to <paramref name="inbox"/>, signed with the account's private key under <paramref name="keyId"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(string inbox, Account signer, string keyId, JsonObject activity, bool rfc9421 = false)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox)
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/activity+json"),
        };
        var key = new SigningKey(keyId, signer.Keys.PrivateKeyPem);
        if (rfc9421)
        {
            await Rfc9421Signature.SignAsync(request, key, TimeProvider.System);
        }
        else
        {
            await CavageSignature.SignAsync(request, key, TimeProvider.System);
        }
        return await client.SendAsync(request);
    }

    public static JsonObject Activity(string actor, string type, JsonNode target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor}/activities/{Guid.NewGuid():N}",
        ["type"] = type,
        ["actor"] = actor,
        ["object"] = target,
    };

    /// <summary>A public <c>Create(Note)</c> by <paramref name="author"/>, as a shop or person posts it.</summary>
    public static JsonObject PublicPost(string author, string text)
    {
        var note = new JsonObject
        {
            ["id"] = $"{author}/notes/{Guid.NewGuid():N}",
            ["type"] = "Note",
            ["attributedTo"] = author,
            ["content"] = $"<p>{text}</p>",
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["cc"] = new JsonArray(author + "/followers"),
        };
        var create = Activity(author, "Create", note);
        create["id"] = note["id"]!.GetValue<string>() + "/activity";
        create["to"] = note["to"]!.DeepClone();
        create["cc"] = note["cc"]!.DeepClone();
        return create;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
