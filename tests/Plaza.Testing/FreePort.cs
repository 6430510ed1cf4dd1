using System.Net;
using System.Net.Sockets;

namespace Plaza.Testing;

/// <summary>A TCP port nobody listens on right now, for a server a test starts (a node, nginx, a peer).</summary>
public static class FreePort
{
    /// <summary>A free port on <paramref name="address"/> (loopback unless given), as the kernel hands one out for port 0.</summary>
    public static int Next(IPAddress? address = null)
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts a server that must know its port before it binds (it is in the server's own settings, such as its public
    /// address), on a free one: the pick and the bind are apart, so when another process (or an outgoing connection's
    /// ephemeral port) took it in between, a new port is picked and the start tried again, up to five times.
    /// </summary>
    public static Task<T> BindAsync<T>(Func<int, Task<T>> start, IPAddress? address = null)
    {
        var port = Next(address);
        return RetryWhenTakenAsync(() => start(port), () =>
        {
            port = Next(address);
            return true;
        });
    }

    /// <summary>
    /// Runs <paramref name="start"/>; when it fails because its address was taken, <paramref name="repick"/> chooses
    /// another (or returns false where the address may not change) and the start is tried again, up to five times.
    /// </summary>
    public static async Task<T> RetryWhenTakenAsync<T>(Func<Task<T>> start, Func<bool> repick)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception e) when (attempt < 5 && Taken(e))
            {
                if (!repick())
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="e"/>, or an exception inside it, says the address was already in use.</summary>
    public static bool Taken(Exception e) => e switch
    {
        Microsoft.AspNetCore.Connections.AddressInUseException => true,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException all => all.InnerExceptions.Any(Taken),
        _ => e.InnerException is { } inner && Taken(inner),
    };
}
