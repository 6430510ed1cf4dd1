using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Plaza.Common;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the node believes,
/// <c>Plaza:TrustedProxies</c>: addresses and CIDR networks, as a configuration array or one string
/// separated by commas or spaces. Empty by default, and then nobody's forwarded headers count.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "Plaza:TrustedProxies";

    public static (List<IPAddress> Addresses, List<IPNetwork> Networks) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Key);
        var entries = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split([',', ' ', ';', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                // A typo here would silently trust nobody (or, worse, someone else): refuse to start instead.
                throw new InvalidOperationException($"{Key}: '{entry}' is neither an IP address nor a CIDR network (e.g. 10.0.0.0/8).");
            }
        }
        return (addresses, networks);
    }

    /// <summary>
    /// Lets the forwarded headers of the listed proxies set the request's client address and scheme, so
    /// rate limits count each client and cookies and HSTS see https.
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var (addresses, networks) = Read(configuration);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; only what the operator listed counts.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            addresses.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
            // Walk back through as many listed proxies as there are (a CDN, then nginx); the first
            // address not listed is the client, whatever it claimed further left.
            o.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so every later part (limits, cookies, HSTS) sees the real client. Left out
    /// when no proxy is listed: the middleware with empty lists would believe every sender.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
