using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Plaza.Common;

namespace Plaza.Features.Ordering;

/// <summary>How many live streams may be open at once (<c>Plaza:Limits</c>).</summary>
public sealed class LiveStreamLimits
{
    /// <summary>Order-status streams of one order: the customer's phone and a tab or two.</summary>
    public int OrderStreamsPerOrder { get; set; } = 4;

    /// <summary>
    /// Anonymous order-status streams from one client address (an IPv6 /64 counts as one address).
    /// A busy café's guest Wi-Fi is one address too, so this is well above one table's phones.
    /// </summary>
    public int OrderStreamsPerAddress { get; set; } = 30;

    /// <summary>Order-board streams of one signed-in person across their shops: counter, kitchen, a phone.</summary>
    public int BoardStreamsPerUser { get; set; } = 8;
}

/// <summary>
/// Counts the live streams (server-sent events) open in this process, so nobody holds thousands of
/// connections, each re-reading the store every few seconds. A place is taken before a stream starts
/// and given back when its request ends, however it ends (the order closes, the client goes away, an
/// error). Counted in memory: app processes behind one load balancer each allow the limits.
/// </summary>
public sealed class LiveStreams(IOptions<LiveStreamLimits> options, PlazaMetrics metrics)
{
    private readonly Dictionary<string, int> open = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public LiveStreamLimits Limits => options.Value;

    /// <summary>
    /// Takes a place under every (key, limit) for the rest of <paramref name="http"/>'s request, or
    /// none and returns a 429 problem when any of them is full.
    /// </summary>
    public ProblemHttpResult? TryOpen(HttpContext http, params (string Key, int Limit)[] caps)
    {
        lock (gate)
        {
            if (caps.Any(c => open.GetValueOrDefault(c.Key) >= c.Limit))
            {
                http.Response.Headers.RetryAfter = "30";
                return Problems.Make(StatusCodes.Status429TooManyRequests, "too-many-streams",
                    Text.Say("Too many live updates are open from here at once; close one and try again."));
            }
            foreach (var (key, _) in caps)
            {
                open[key] = open.GetValueOrDefault(key) + 1;
            }
        }
        metrics.StreamOpened();
        http.Response.RegisterForDispose(new Place(this, [.. caps.Select(c => c.Key)]));
        return null;
    }

    /// <summary>How many streams hold a place under <paramref name="key"/> now.</summary>
    public int OpenUnder(string key)
    {
        lock (gate)
        {
            return open.GetValueOrDefault(key);
        }
    }

    /// <summary>The key for one client: its address, an IPv6 client by its /64 (one subscriber's network hands out many).</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "address:unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return "address:" + address;
    }

    private void Release(string[] keys)
    {
        metrics.StreamClosed();
        lock (gate)
        {
            foreach (var key in keys)
            {
                if (open[key] <= 1)
                {
                    open.Remove(key);
                }
                else
                {
                    open[key]--;
                }
            }
        }
    }

    private sealed class Place(LiveStreams streams, string[] keys) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                streams.Release(keys);
            }
        }
    }
}
