using System.Net;

namespace Plaza.Features.Federation;

/// <summary>
/// Follows a peer's redirects for the federation client, at most <see cref="FederationHttp.MaxRedirects"/>,
/// checking each new target as the first one was checked: http or https (never down from https to
/// http), and not on a domain or actor the operator blocked. A peer could otherwise answer a fetch
/// with a redirect to a blocked server, and the socket handler would follow it without asking.
/// The connect-time address check still applies to every hop.
/// </summary>
/// <remarks>
/// Only GET and HEAD are followed. A signed POST (a delivery) cannot be re-sent elsewhere: its
/// signature covers the target, so the peer's 3xx goes back to the delivery worker as it came.
/// </remarks>
public sealed class CheckedRedirects(IServiceScopeFactory scopes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var hops = 0; IsRedirect(response) && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head); hops++)
        {
            var from = request.RequestUri!;
            var target = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location : new Uri(from, response.Headers.Location);
            response.Dispose();
            if (hops == FederationHttp.MaxRedirects)
            {
                throw new RemoteFetchRefusedException($"{from.Host} redirected more than {FederationHttp.MaxRedirects} times.");
            }
            if (target.Scheme is not ("https" or "http") || (from.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp))
            {
                throw new RemoteFetchRefusedException($"{from.Host} redirected to {target.Scheme}:, which is not followed.");
            }
            if (await IsBlockedAsync(target, cancellationToken))
            {
                throw new RemoteFetchRefusedException($"{from.Host} redirected to {target.Host}, which is blocked on this node.");
            }
            request = Redirected(request, target);
            response = await base.SendAsync(request, cancellationToken);
        }
        return response;
    }

    private static bool IsRedirect(HttpResponseMessage response) =>
        response.Headers.Location is not null && response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
            or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private async Task<bool> IsBlockedAsync(Uri target, CancellationToken ct)
    {
        // A handler outlives requests; the block list is read in a scope of its own.
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RemoteActors>().IsBlockedAsync(target.AbsoluteUri, ct);
    }

    private static readonly HashSet<string> FirstHostOnly = new(["Host", "Authorization", "Cookie"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The same request to <paramref name="target"/>, without what belongs to the first host (Host, credentials, cookies).</summary>
    private static HttpRequestMessage Redirected(HttpRequestMessage request, Uri target)
    {
        var next = new HttpRequestMessage(request.Method, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers.NonValidated)
        {
            if (!FirstHostOnly.Contains(header.Key))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        return next;
    }
}
