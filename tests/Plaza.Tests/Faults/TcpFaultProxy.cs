using System.Net;
using System.Net.Sockets;

namespace Plaza.Tests.Faults;

/// <summary>
/// A TCP relay on 127.0.0.1 between a node and its PostgreSQL that a test can stop (new connections
/// refused, open ones cut: a stopped server) or hang (connections accepted and kept, nothing passed
/// either way: a server or network that stopped answering), and then put back on the same port.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private readonly CancellationTokenSource stopping = new();
    private TcpListener listener;
    private Task accepting;
    private volatile bool hung;

    public TcpFaultProxy(string host, int port)
    {
        target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync(listener);
    }

    public int Port { get; }

    /// <summary>As a stopped server: the port refuses connections and every open one is closed.</summary>
    public async Task StopAsync()
    {
        listener.Stop();
        await accepting;
        CloseAll();
    }

    /// <summary>As a hung server: connections stay open (and new ones are accepted) but no byte goes through.</summary>
    public void Hang() => hung = true;

    /// <summary>Back to relaying, on the same port; connections held while hung are closed, as a restarted server would.</summary>
    public async Task ResumeAsync()
    {
        if (hung)
        {
            hung = false;
            CloseAll();
            return;
        }
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        accepting = AcceptAsync(listener);
        await Task.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener from)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await from.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // stopped
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        Track(client);
        Track(server);
        try
        {
            await server.ConnectAsync(target, stopping.Token);
            await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream()), PumpAsync(server.GetStream(), client.GetStream()));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A closed side ends the relay.
        }
        finally
        {
            // Out of the list before disposal, so CloseAll never touches a socket this relay closed.
            Untrack(client);
            Untrack(server);
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stopping.Token)) > 0)
        {
            while (hung)
            {
                // Held: the bytes are neither passed on nor refused, as by a server that stopped answering.
                await Task.Delay(20, stopping.Token);
            }
            await to.WriteAsync(buffer.AsMemory(0, read), stopping.Token);
        }
    }

    private void Track(TcpClient client)
    {
        lock (open)
        {
            open.Add(client);
        }
    }

    private void Untrack(TcpClient client)
    {
        lock (open)
        {
            open.Remove(client);
        }
    }

    private void CloseAll()
    {
        lock (open)
        {
            foreach (var client in open)
            {
                try
                {
                    // Reset rather than close politely: the other side sees the connection cut.
                    client.Client?.LingerState = new LingerOption(true, 0);
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException)
                {
                    // Closed already (a failed connect disposes its socket): nothing left to cut.
                }
                client.Dispose();
            }
            open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        CloseAll();
        stopping.Dispose();
    }
}
