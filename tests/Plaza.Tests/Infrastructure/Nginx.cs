using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// Debian's nginx as a node's reverse proxy, configured as README tells operators to: on a free
/// loopback port (TLS with <see cref="LocalTls"/> when given), passing Host, X-Forwarded-For and
/// X-Forwarded-Proto on. Its configuration, pid file, logs and temp paths live in a directory of its
/// own, and it runs as one foreground process (no daemon, no master) that is ended by its id.
/// </summary>
public sealed class Nginx : IDisposable
{
    private readonly Process process;
    private readonly string directory;

    private Nginx(Process process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    /// <summary>Where clients reach the proxy: http(s)://127.0.0.1:{port}.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Debian's nginx lives in /usr/sbin, which is not on every user's PATH.</summary>
    public static string? Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin")
            .Select(d => Path.Combine(d, "nginx"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts nginx in front of <paramref name="upstream"/> and waits until it accepts connections; skipped without nginx.</summary>
    public static Task<Nginx> StartAsync(Uri upstream, LocalTls? tls = null) => FreePort.BindAsync(port => StartOnAsync(upstream, tls, port));

    private static async Task<Nginx> StartOnAsync(Uri upstream, LocalTls? tls, int port)
    {
        if (Executable is not { } executable)
        {
            Assert.Skip("Install Debian's nginx (./test.sh does when run as root) for the reverse-proxy tests.");
            throw new UnreachableException();
        }
        var directory = Path.Combine(Path.GetTempPath(), "plaza-nginx", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var listen = tls is null
            ? $"listen 127.0.0.1:{port};"
            : $"listen 127.0.0.1:{port} ssl; ssl_certificate {tls.CertFile}; ssl_certificate_key {tls.KeyFile};";
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                server {
                    {{listen}}
                    location / {
                        proxy_pass {{upstream.GetLeftPart(UriPartial.Authority)}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
            }
            """));
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-p", directory, "-c", config, "-e", Path.Combine(directory, "error.log") })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        // Drained and dropped: what nginx has to say goes to error.log (-e), shown when it fails to start.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new Nginx(process, directory, new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port}"));
        try
        {
            await nginx.WaitUntilListeningAsync(port);
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var log = ErrorLog;
                throw new InvalidOperationException($"nginx exited with {process.ExitCode} while starting:\n{log}",
                    log.Contains("Address already in use", StringComparison.Ordinal) ? new SocketException((int)SocketError.AddressAlreadyInUse) : null);
            }
            // nginx writes its pid file only once its sockets are bound: before that, whatever answers on the port is not it.
            if (!File.Exists(Path.Combine(directory, "nginx.pid")))
            {
                await Task.Delay(50);
                continue;
            }
            try
            {
                using var probe = new TcpClient(AddressFamily.InterNetwork);
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nginx did not listen on {port}:\n{ErrorLog}");
    }

    public string ErrorLog
    {
        get
        {
            var file = Path.Combine(directory, "error.log");
            return File.Exists(file) ? File.ReadAllText(file) : "";
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp directory.
        }
    }
}
