using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Plaza.Features.Federation;

/// <summary>Thrown when a remote fetch is refused by policy (blocked domain, private address, too large).</summary>
public sealed class RemoteFetchRefusedException(string message) : Exception(message);

/// <summary>
/// The node's outgoing HTTP: every connection is checked at connect time, after DNS, so a peer
/// cannot point a name at loopback or the private network (SSRF); names in
/// <see cref="FederationOptions.AllowedPrivateHosts"/> are exempt (tests). Redirects are followed
/// by <see cref="CheckedRedirects"/>, which checks each new target as the first one was, and
/// <see cref="RemoteReadDeadline"/> bounds each exchange, body included.
/// </summary>
public static class FederationHttp
{
    public const string ClientName = "federation";
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxRedirects = 2;

    public static IHttpClientBuilder AddFederationHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(ClientName, client =>
            {
                // RemoteReadDeadline counts instead, over headers and body both.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Plaza/1.0 (+https://github.com/plaza)");
            })
            .AddHttpMessageHandler(sp => new RemoteReadDeadline(sp.GetRequiredService<FederationOptions>().RemoteReadDeadline))
            .AddHttpMessageHandler(sp => new CheckedRedirects(sp.GetRequiredService<IServiceScopeFactory>()))
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<FederationOptions>()));

    public static SocketsHttpHandler CreateHandler(FederationOptions options)
    {
        var allowed = options.AllowedPrivateHosts.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var handler = new SocketsHttpHandler
        {
            // The socket handler would follow a redirect wherever it points without asking;
            // CheckedRedirects follows them instead, checking each target.
            AllowAutoRedirect = false,
            // Never through a proxy (HTTP_PROXY and the like): the connect-time check below would then
            // judge the proxy's address, and the proxy would reach whatever the peer named.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = async (context, ct) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = await Dns.GetHostAddressesAsync(host, ct);
                var permitted = allowed.Contains(host.ToLowerInvariant())
                    ? addresses
                    : [.. addresses.Where(IsPublic)];
                if (permitted.Length == 0)
                {
                    throw new RemoteFetchRefusedException($"{host} resolves to no public address; refusing to connect.");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (options.TrustedCaFile is { Length: > 0 } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }
                    if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                    {
                        return false;
                    }
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }
        return handler;
    }

    // IPv4 ranges a peer has no business sending us to (IANA special-purpose registry): "this"
    // network, private networks, shared address space (CGNAT), loopback, link-local, IETF protocol
    // assignments, documentation, the 6to4 relay anycast, benchmarking, multicast and reserved
    // (the broadcast address included).
    private static readonly IPNetwork[] NotPublicV4 =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        }.Select(IPNetwork.Parse),
    ];

    // IPv6 peers live in global unicast (2000::/3), which leaves out loopback, unspecified,
    // link-local, site-local, unique local, multicast, discard-only and the local-use NAT64 prefix
    // 64:ff9b:1::/48. Inside it: the IETF protocol assignments (Teredo 2001::/32 among them, whose
    // client address is obfuscated, so it is refused whole) and the documentation prefixes.
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] NotPublicV6 = [.. new[] { "2001::/23", "2001:db8::/32", "3fff::/20" }.Select(IPNetwork.Parse)];

    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// False for loopback, private, link-local, carrier-grade NAT, documentation, benchmarking,
    /// multicast, reserved and unspecified addresses. An IPv6 address that carries an IPv4 one
    /// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4) is judged by the IPv4 it carries:
    /// 64:ff9b::7f00:1 reaches 127.0.0.1 through a NAT64 gateway.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        var judged = EmbeddedIPv4(address) ?? address;
        return judged.AddressFamily == AddressFamily.InterNetwork
            ? !NotPublicV4.Any(n => n.Contains(judged))
            : GlobalUnicastV6.Contains(judged) && !NotPublicV6.Any(n => n.Contains(judged));
    }

    /// <summary>The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address; null for any other.</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6 || Ipv4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    /// <summary>Reads a response body, refusing more than <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new RemoteFetchRefusedException("The remote document is larger than 1 MiB.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new RemoteFetchRefusedException("The remote document is larger than 1 MiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static string? HostOf(string? iri) =>
        Uri.TryCreate(iri, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.Host.ToLowerInvariant() : null;
}
