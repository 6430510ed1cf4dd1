using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Plaza.Testing;

/// <summary>
/// A real SMTP server on 127.0.0.1 (the SmtpServer library, an implementation independent of the MailKit client
/// the node sends with) that keeps every message it accepts, parsed with MimeKit, for a test to read.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private readonly SemaphoreSlim arrived = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly SmtpServer.SmtpServer server;
    private readonly Task running;

    public int Port { get; private set; }

    public IReadOnlyCollection<MimeMessage> Received => [.. received];

    private SmtpSink(int port, TaskCompletionSource<int> bound)
    {
        var options = new SmtpServerOptionsBuilder().ServerName("sink.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        services.Add(listeners);
        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
        running.ContinueWith(t => bound.TrySetException(t.Exception?.InnerExceptions ?? [new InvalidOperationException("The SMTP server stopped before it listened.")]),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A server on a port the kernel picks (port 0), started once it listens.</summary>
    public static Task<SmtpSink> StartAsync() => StartOnAsync(0);

    /// <summary>A server on a given port: one a node was already told of, brought up late.</summary>
    public static async Task<SmtpSink> StartOnAsync(int port)
    {
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new SmtpSink(port, bound);
        sink.Port = await bound.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return sink;
    }

    /// <summary>The settings that point a node at this server.</summary>
    public void Configure(IDictionary<string, string?> settings)
    {
        settings["Plaza:Mail:Host"] = "127.0.0.1";
        settings["Plaza:Mail:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Plaza:Mail:Security"] = "none";
        settings["Plaza:Mail:From"] = "Plaza <noreply@plaza.test>";
    }

    /// <summary>The first message to <paramref name="to"/> received after <paramref name="skip"/> earlier ones to them, waiting up to 20 s.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, int skip = 0)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var mine = received.Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList();
            if (mine.Count > skip)
            {
                return mine[skip];
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No mail #{skip + 1} to {to} within 20 s; received {received.Count} in all.");
            }
            await arrived.WaitAsync(left);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        server.Shutdown();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
        arrived.Dispose();
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            sink.received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            sink.arrived.Release();
            return SmtpResponse.Ok;
        }
    }
}
