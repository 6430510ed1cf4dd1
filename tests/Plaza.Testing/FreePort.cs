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
}
