using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Federation.ActivityStreams;
using Plaza.Federation.Signatures;

namespace Plaza.Features.Federation;

/// <summary>
/// POST to a shop's inbox or the shared inbox: the signature is checked like a login (a valid
/// signature by the activity's actor, from a domain not blocked), the activity is stored once per
/// id and answered 202; <see cref="InboxWorker"/> acts on it later.
/// </summary>
public static partial class Inbox
{
    public static async Task<IResult> ReceiveAsync(
        HttpContext http, PlazaDb db, ShopScope scope, RemoteActors actors, FederationOptions options, TimeProvider clock,
        FederationSignal signal, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger("Plaza.Federation.Inbox");
        if (http.Request.Headers.ContentLength > FederationHttp.MaxBodyBytes)
        {
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "too-large", "An activity may be at most 1 MiB.");
        }
        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
        {
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "too-large", "An activity may be at most 1 MiB.");
        }
        var request = Describe(http, body, options);
        if (request.Header("signature") is null && request.Header("signature-input") is null)
        {
            return Unauthorized("not-signed", "Inbox deliveries must carry an HTTP signature.");
        }

        Activity? activity;
        try
        {
            activity = ActivityStreamsJson.Parse(body) as Activity;
        }
        catch (JsonException)
        {
            activity = null;
        }
        var actorId = activity?.Actor?.First?.Id;
        if (activity?.Id is not { } activityId || actorId is null || activity.Type?.First is not { } type)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["An activity with an id, a type and an actor is required."] },
                "The body is not an ActivityStreams activity.");
        }

        var keyId = SignatureKeyId(request);
        if (await actors.IsBlockedAsync(actorId, ct) || await actors.IsBlockedAsync(keyId, ct))
        {
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", "This node does not accept activities from that domain.");
        }

        RemoteActor? signer = null;
        var fromCache = true;
        async ValueTask<string?> Resolve(string id, CancellationToken token)
        {
            try
            {
                signer = await actors.ForKeyAsync(id, refresh: !fromCache, token);
                return signer?.PublicKeyPem;
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or TaskCanceledException)
            {
                LogKeyFetchFailed(log, id, e.Message);
                return null;
            }
        }
        var verifier = new SignatureVerifier(Resolve, clock);
        var result = await verifier.VerifyAsync(request, ct);
        if (result.Failure == SignatureFailure.BadSignature)
        {
            // The signer may have rotated its key since we cached it: fetch it once more.
            fromCache = false;
            result = await verifier.VerifyAsync(request, ct);
        }
        if (!result.IsVerified)
        {
            if (result.Failure == SignatureFailure.KeyNotFound && type == "Delete" && activity.Object?.First?.Id == actorId)
            {
                // An account deleted with its key can't sign verifiably any more; refusing would make its
                // server retry for days (Mastodon does the same: accept and ignore).
                return TypedResults.Accepted((string?)null);
            }
            return Unauthorized("bad-signature", $"The signature was refused: {result.Detail}");
        }
        if (!SignerIdentity.IsActor(result.KeyId!, actorId, signer?.ActorId))
        {
            return Unauthorized("signer-not-actor", "The request is signed by someone other than the activity's actor.");
        }
        // A host that signs activities is up: deliveries to it resume if it was marked unavailable.
        await HostHealth.ClearAsync(db, FederationHttp.HostOf(actorId), ct);
        if (scope.Shop is not null && await db.ShopBlocks.AsNoTracking().AnyAsync(b => b.ActorId == actorId, ct))
        {
            // The owner blocked this actor; checked after the signature, so the answer tells nobody else who is blocked.
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", "This shop does not accept activities from that account.");
        }
        if (FederationHttp.HostOf(activityId) != FederationHttp.HostOf(actorId))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["id"] = ["The activity's id must be on its actor's host."] },
                "The activity's id is on another host than its actor.");
        }

        if (await db.InboxActivities.AsNoTracking().AnyAsync(a => a.ActivityId == activityId, ct))
        {
            return TypedResults.Accepted((string?)null);
        }
        db.InboxActivities.Add(new InboxActivity
        {
            ActivityId = activityId,
            ActorId = actorId,
            Type = type.Length > 64 ? type[..64] : type,
            Payload = System.Text.Encoding.UTF8.GetString(body),
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            signal.InboxArrived();
        }
        catch (DbUpdateException)
        {
            // Delivered before (a retry, or via another inbox): already stored, nothing more to do.
            if (!await db.InboxActivities.AsNoTracking().AnyAsync(a => a.ActivityId == activityId, ct))
            {
                throw;
            }
        }
        return TypedResults.Accepted((string?)null);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(string code, string detail) =>
        Problems.Make(StatusCodes.Status401Unauthorized, code, detail);

    private static string? SignatureKeyId(SignableRequest request)
    {
        if (request.Header("signature-input") is { } input)
        {
            return SignatureParameters.ParseSignatureInput(input) is { Count: > 0 } inputs ? inputs[0].Value.KeyId : null;
        }
        return request.Header("signature") is { } cavage && CavageKeyId().Match(cavage) is { Success: true } match ? match.Groups[1].Value : null;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > FederationHttp.MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The request as its signer saw it: the scheme (from X-Forwarded-Proto only when the node
    /// trusts its proxy), the Host header and the raw request target, never a re-encoded path.
    /// </summary>
    public static SignableRequest Describe(HttpContext http, byte[] body, FederationOptions options)
    {
        var scheme = http.Request.Scheme;
        if (options.TrustForwardedHeaders && http.Request.Headers["X-Forwarded-Proto"].ToString() is { Length: > 0 } forwarded)
        {
            scheme = forwarded.Split(',')[0].Trim().ToLowerInvariant();
        }
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/'))
        {
            rawTarget = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        }
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }
        return new SignableRequest(http.Request.Method, $"{scheme}://{http.Request.Host}{rawTarget}", headers, body);
    }

    [System.Text.RegularExpressions.GeneratedRegex("keyId=\"([^\"]+)\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CavageKeyId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not fetch key {KeyId}: {Reason}")]
    private static partial void LogKeyFetchFailed(ILogger logger, string keyId, string reason);
}
