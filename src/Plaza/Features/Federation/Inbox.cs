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
    /// <summary>
    /// Maps an inbox at <paramref name="pattern"/>: limited per client address (<see cref="InboxBounds.AddressPolicy"/>)
    /// and described with every answer <see cref="ReceiveAsync"/> and the rate limiter give.
    /// </summary>
    public static RouteHandlerBuilder MapInbox(this IEndpointRouteBuilder routes, string pattern) =>
        routes.MapPost(pattern, ReceiveAsync)
            .RequireRateLimiting(InboxBounds.AddressPolicy)
            .Produces(StatusCodes.Status202Accepted)
            // Not an activity with an id, a type and an actor; or its id on another host than its actor.
            .ProducesValidationProblem()
            // Not signed; the signature refused; signed by someone other than the activity's actor.
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            // The actor's or the key's domain blocked on this node, or the actor blocked by the shop.
            .ProducesProblem(StatusCodes.Status403Forbidden)
            // A body over FederationHttp.MaxBodyBytes, announced or read.
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            // rate-limited: the client address's minute or the signing key host's minute is used up (Retry-After: 60);
            // inbox-share-used: the actor or its server stored its daily share (Retry-After: 3600).
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static async Task<IResult> ReceiveAsync(
        HttpContext http, PlazaDb db, ShopScope scope, RemoteActors actors, FederationOptions options, ActorUrls urls, InboxBounds bounds,
        TimeProvider clock, FederationSignal signal, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger("Plaza.Federation.Inbox");
        if (http.Request.Headers.ContentLength > FederationHttp.MaxBodyBytes)
        {
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "too-large", Text.Say("An activity may be at most 1 MiB."));
        }
        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
        {
            return Problems.Make(StatusCodes.Status413PayloadTooLarge, "too-large", Text.Say("An activity may be at most 1 MiB."));
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
            return Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [Text.Say("An activity with an id, a type and an actor is required.")] },
                "The body is not an ActivityStreams activity.");
        }

        var keyId = SignatureKeyId(request);
        if (await actors.IsBlockedAsync(actorId, ct) || await actors.IsBlockedAsync(keyId, ct))
        {
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", Text.Say("This node does not accept activities from that domain."));
        }

        if (!bounds.TryAdmitKeyHost(keyId))
        {
            http.Response.Headers.RetryAfter = "60";
            return Problems.Make(StatusCodes.Status429TooManyRequests, "rate-limited", Text.Say("Too many deliveries signed by that server's keys; retry in a minute."));
        }

        // One key per request: a POST carrying many signatures (each with its own keyId) must not make
        // the node fetch many keys for an unauthenticated caller.
        string? keyAsked = null;
        KeyResolution? resolution = null;
        var refresh = false;
        async ValueTask<string?> Resolve(string id, CancellationToken token)
        {
            if (keyAsked is not null && keyAsked != id)
            {
                return null;
            }
            keyAsked = id;
            try
            {
                resolution = await actors.KeyForAsync(id, actorId, refresh, token);
            }
            catch (Exception e) when (e is HttpRequestException or RemoteFetchRefusedException or JsonException or TaskCanceledException)
            {
                resolution = KeyResolution.Refused($"fetching the key failed: {e.Message}", fetched: true);
            }
            return resolution.Actor?.PublicKeyPem is { Length: > 0 } pem ? pem : null;
        }
        var verifier = new SignatureVerifier(Resolve, clock);
        var result = await verifier.VerifyAsync(request, ct);
        if (result.Failure == SignatureFailure.BadSignature && resolution is { Fetched: false })
        {
            // The signer may have rotated its key since we cached it: fetch it once more.
            refresh = true;
            result = await verifier.VerifyAsync(request, ct);
        }
        if (!result.IsVerified)
        {
            if (result.Failure == SignatureFailure.KeyNotFound && resolution is { ActorMissing: true } && type == "Delete" && activity.Object?.First?.Id == actorId)
            {
                // An account deleted with its key can't sign verifiably any more; refusing would make its
                // server retry for days (Mastodon does the same: accept and ignore). Only when the actor's
                // document is really gone: a live actor that does not publish the key is a forgery.
                return TypedResults.Accepted((string?)null);
            }
            var reason = resolution?.Refusal ?? result.Detail ?? "the signature was refused";
            LogSignatureRefused(log, result.KeyId ?? keyId, actorId, reason);
            return resolution is { NotTheActorsKey: true }
                ? Unauthorized("signer-not-actor", Text.Say("The request is signed with a key the activity's actor does not publish: {0}.", reason))
                : Unauthorized("bad-signature", Text.Say("The signature was refused: {0}", result.Detail));
        }
        if (!SignerIdentity.IsActor(result.KeyId!, actorId, resolution?.Actor?.ActorId))
        {
            LogSignatureRefused(log, result.KeyId!, actorId, "the verified key does not belong to the activity's actor");
            return Unauthorized("signer-not-actor", "The request is signed by someone other than the activity's actor.");
        }
        // A host that signs activities is up: deliveries to it resume if it was marked unavailable.
        if (await HostHealth.ClearAsync(db, FederationHttp.HostOf(actorId), options, clock.GetUtcNow().UtcDateTime, ct))
        {
            signal.DeliveriesQueued();
        }
        if (scope.Shop is not null && await db.ShopBlocks.AsNoTracking().AnyAsync(b => b.ActorId == actorId, ct))
        {
            // The owner blocked this actor; checked after the signature, so the answer tells nobody else who is blocked.
            return Problems.Make(StatusCodes.Status403Forbidden, "blocked", Text.Say("This shop does not accept activities from that account."));
        }
        if (FederationHttp.HostOf(activityId) != FederationHttp.HostOf(actorId))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["id"] = [Text.Say("The activity's id must be on its actor's host.")] },
                "The activity's id is on another host than its actor.");
        }

        if (await db.InboxActivities.AsNoTracking().AnyAsync(a => a.ActivityId == activityId, ct))
        {
            return TypedResults.Accepted((string?)null);
        }
        if (!await InboxBounds.ConcernsThisNodeAsync(db, urls, activity, actorId, ct))
        {
            // Valid but addressed to nobody here and from nobody we know: acknowledged, not kept.
            return TypedResults.Accepted((string?)null);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var actorHost = FederationHttp.HostOf(actorId) ?? "";
        if (await bounds.DailyShareUsedAsync(db, actorId, actorHost, now, ct) is { } refusal)
        {
            http.Response.Headers.RetryAfter = "3600";
            return Problems.Make(StatusCodes.Status429TooManyRequests, "inbox-share-used", refusal);
        }
        db.InboxActivities.Add(new InboxActivity
        {
            ActivityId = activityId,
            ActorId = actorId,
            ActorHost = actorHost,
            Type = type.Length > 64 ? type[..64] : type,
            Payload = System.Text.Encoding.UTF8.GetString(body),
            ReceivedAt = now,
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
    /// The request as a signer addressing this node made it: the scheme and host of
    /// <see cref="FederationOptions.PublicUrl"/> (never the request's own Host header or a forwarded
    /// scheme, so a request signed for another server can't be replayed here, and a TLS proxy in front
    /// changes nothing) and the raw request target, never a re-encoded path.
    /// </summary>
    public static SignableRequest Describe(HttpContext http, byte[] body, FederationOptions options)
    {
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/'))
        {
            rawTarget = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        }
        var headers = new List<KeyValuePair<string, string>> { new("host", options.Host) };
        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }
        return new SignableRequest(http.Request.Method, $"{options.Origin}{rawTarget}", headers, body);
    }

    [System.Text.RegularExpressions.GeneratedRegex("keyId=\"([^\"]+)\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CavageKeyId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused the signature of key {KeyId} for actor {ActorId}: {Reason}")]
    private static partial void LogSignatureRefused(ILogger logger, string? keyId, string actorId, string reason);
}
