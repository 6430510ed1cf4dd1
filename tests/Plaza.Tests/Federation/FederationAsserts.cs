using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Plaza.Federation.Signatures;

namespace Plaza.Tests.Federation;

public static class FederationAsserts
{
    public static async Task<JsonElement> GetActivityJsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Verifies a request the node sent with the key its actor document publishes, as the receiving server would.</summary>
    public static async Task SignedByShopAsync(HttpClient client, FakePeer.ReceivedRequest request, string shopActor = "http://localhost/actors/demo")
    {
        var actor = await GetActivityJsonAsync(client, new Uri(shopActor).PathAndQuery);
        var pem = actor.GetProperty("publicKey").GetProperty("publicKeyPem").GetString();
        var verifier = new SignatureVerifier((keyId, _) => ValueTask.FromResult(keyId == shopActor + "#main-key" ? pem : null), TimeProvider.System);
        var signable = new SignableRequest(request.Method, request.Uri.ToString(), request.Headers, request.Body);
        var result = await verifier.VerifyAsync(signable);
        Assert.True(result.IsVerified, $"The node's signature does not verify: {result.Detail}");
    }
}
