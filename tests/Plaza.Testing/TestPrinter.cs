using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Plaza.Testing;

/// <summary>
/// A network thermal printer on 127.0.0.1, as a kitchen's would be on the shop's network: it takes raw ESC/POS on a
/// TCP port (9100 on real printers), decodes it (text in GB18030 in Chinese mode, bold, size, feed, cut) into the
/// tickets a cook would hold, and answers the paper-sensor status query. Written for the tests from the command
/// reference, independent of the node's ESC/POS code. It can be switched off (nothing listens on its port) and on
/// again on the same port, and run out of paper.
/// </summary>
public sealed class TestPrinter : IAsyncDisposable
{
    private static readonly Encoding Gb18030 = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;
    private readonly ConcurrentQueue<Ticket> tickets = new();
    private readonly SemaphoreSlim printed = new(0);
    private TcpListener? listener;
    private CancellationTokenSource? running;
    private Task? accepting;

    /// <summary>One cut piece of paper: its lines as printed, which of them were bold or enlarged, and whether Chinese mode was on.</summary>
    public sealed record Ticket(IReadOnlyList<string> Lines, IReadOnlyList<string> Emphasised, bool ChineseMode, bool Cut)
    {
        public string Text => string.Join("\n", Lines);
    }

    public int Port { get; private set; }

    /// <summary>When set, the paper sensor reports the roll has run out; a job sent anyway is not printed.</summary>
    public bool PaperOut { get; set; }

    /// <summary>How many times the node connected.</summary>
    public int Connections => connections;

    private int connections;

    public IReadOnlyList<Ticket> Tickets => [.. tickets];

    public static async Task<TestPrinter> StartAsync()
    {
        var printer = new TestPrinter();
        await printer.OnAsync();
        return printer;
    }

    /// <summary>A printer that is switched off: its port is kept for it, nothing answers there.</summary>
    public static TestPrinter Off() => new() { Port = FreePort.Next(IPAddress.Loopback) };

    /// <summary>Switches the printer on, on its port.</summary>
    public Task OnAsync()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        running = new CancellationTokenSource();
        accepting = AcceptAsync(listener, running.Token);
        return Task.CompletedTask;
    }

    /// <summary>Switches the printer off: connections are refused from now on.</summary>
    public async Task OffAsync()
    {
        if (running is null)
        {
            return;
        }
        await running.CancelAsync();
        listener!.Stop();
        await accepting!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        running.Dispose();
        running = null;
    }

    /// <summary>Waits until at least <paramref name="count"/> tickets came out.</summary>
    public async Task<IReadOnlyList<Ticket>> WaitForAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (tickets.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"The printer on port {Port} printed {tickets.Count} of {count} tickets in {seconds} s (connections: {Connections}).");
            await printed.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
        return Tickets;
    }

    private async Task AcceptAsync(TcpListener on, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await on.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref connections);
            _ = Task.Run(() => ServeAsync(client, ct), ct);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var stream = client.GetStream();
            var decoder = new Decoder(this, stream);
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    await decoder.FeedAsync(buffer.AsMemory(0, read), ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // Switched off mid-job: what was not cut is lost, as on paper.
            }
        }
    }

    private void Print(Ticket ticket)
    {
        if (PaperOut)
        {
            return;
        }
        tickets.Enqueue(ticket);
        printed.Release();
    }

    /// <summary>Reads ESC/POS a byte at a time, across reads.</summary>
    private sealed class Decoder(TestPrinter printer, NetworkStream stream)
    {
        private readonly List<byte> pending = [];
        private readonly List<byte> text = [];
        private readonly List<string> lines = [];
        private readonly List<string> emphasised = [];
        private bool chinese;
        private bool bold;
        private bool large;

        public async Task FeedAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            pending.AddRange(data.ToArray());
            while (pending.Count > 0)
            {
                var used = await StepAsync(ct);
                if (used == 0)
                {
                    return;
                }
                pending.RemoveRange(0, used);
            }
        }

        /// <summary>Handles the command at the start of what is pending; returns how many bytes it took, 0 when more are needed.</summary>
        private async Task<int> StepAsync(CancellationToken ct)
        {
            var b = pending[0];
            int Need(int count) => pending.Count >= count ? count : 0;
            switch (b)
            {
                case 0x0A:
                    EndLine();
                    return 1;
                case 0x10: // DLE EOT n: real-time status
                    if (Need(3) == 0)
                    {
                        return 0;
                    }
                    Assert.Equal(0x04, pending[1]);
                    // Fixed bits 1 and 4; bits 5 and 6 when the roll has run out.
                    await stream.WriteAsync(new[] { (byte)(printer.PaperOut && pending[2] == 4 ? 0x72 : 0x12) }, ct);
                    return 3;
                case 0x1B: // ESC
                    if (Need(2) == 0)
                    {
                        return 0;
                    }
                    switch (pending[1])
                    {
                        case (byte)'@':
                            (chinese, bold, large) = (false, false, false);
                            return 2;
                        case (byte)'E':
                            if (Need(3) == 0)
                            {
                                return 0;
                            }
                            bold = pending[2] != 0;
                            return 3;
                        case (byte)'a':
                            return Need(3);
                        case (byte)'d':
                            if (Need(3) == 0)
                            {
                                return 0;
                            }
                            EndLine();
                            return 3;
                        default:
                            throw new InvalidDataException($"ESC {pending[1]:X2} is not a command this printer knows.");
                    }
                case 0x1C: // FS & / FS .
                    if (Need(2) == 0)
                    {
                        return 0;
                    }
                    chinese = pending[1] switch
                    {
                        (byte)'&' => true,
                        (byte)'.' => false,
                        _ => throw new InvalidDataException($"FS {pending[1]:X2} is not a command this printer knows."),
                    };
                    return 2;
                case 0x1D: // GS
                    if (Need(3) == 0)
                    {
                        return 0;
                    }
                    switch (pending[1])
                    {
                        case (byte)'!':
                            large = pending[2] != 0;
                            return 3;
                        case (byte)'V':
                            // GS V m, or GS V m n for m 65 and 66 (feed, then cut).
                            var length = pending[2] >= 65 ? 4 : 3;
                            if (Need(length) == 0)
                            {
                                return 0;
                            }
                            EndLine();
                            printer.Print(new Ticket([.. lines], [.. emphasised], chinese, Cut: true));
                            lines.Clear();
                            emphasised.Clear();
                            return length;
                        default:
                            throw new InvalidDataException($"GS {pending[1]:X2} is not a command this printer knows.");
                    }
                default:
                    if (b < 0x20)
                    {
                        throw new InvalidDataException($"Control byte {b:X2} in the text.");
                    }
                    text.Add(b);
                    return 1;
            }
        }

        private void EndLine()
        {
            if (text.Count == 0 && pending.Count > 0 && pending[0] != 0x0A)
            {
                return;
            }
            // Outside Chinese mode a printer prints each byte as one Latin character: Chinese would come out as garbage.
            var line = chinese ? Gb18030.GetString([.. text]) : Encoding.Latin1.GetString([.. text]);
            text.Clear();
            lines.Add(line);
            if (bold || large)
            {
                emphasised.Add(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await OffAsync();
        printed.Dispose();
    }
}
