using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// The real node as a child process (<c>dotnet Plaza.dll</c>, the build this test project was
/// built with), on a loopback port and a store of its own, so a test can SIGKILL it and start it
/// again on the same data. Unlike <see cref="PlazaApp"/>, nothing of it lives in the test's process.
/// Its first start binds port 0 and reads the port the node reports; later starts take that port again
/// (the node's origin stays the same), and every start is known by the instance name its /healthz answers with,
/// so a process that took the port meanwhile is never mistaken for this node.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly string dataDir;
    private readonly string? postgresAdmin;
    private readonly string? postgresDatabase;
    private readonly List<string> log = [];
    private readonly Lock logGate = new();
    private Process? process;
    private int port;
    private TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Store Store { get; }
    /// <summary>Where the node answers, known from its first start on.</summary>
    public Uri BaseAddress => port != 0 ? new Uri($"http://127.0.0.1:{port}")
        : throw new InvalidOperationException("The node has not started: its port is the one its first start binds.");
    public string DataDir => dataDir;

    /// <summary>ASPNETCORE_ENVIRONMENT: a published server's, unless a test says otherwise.</summary>
    public string HostEnvironment { get; set; } = "Production";

    /// <summary>Configuration given as <c>--key=value</c> arguments; the demo shop is seeded because most tests order from it.</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        ["Plaza:Demo"] = "true",
        ["Plaza:RateLimits:OrdersPerMinute"] = "1000000",
        ["Plaza:Backup:Interval"] = "0",
    };

    private NodeProcess(Store store, string? dataDir)
    {
        Store = store;
        this.dataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "plaza-node-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(this.dataDir);
        if (store == Store.Postgres)
        {
            postgresAdmin = Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable)!;
            postgresDatabase = "plaza_node_" + Guid.NewGuid().ToString("N")[..12];
        }
    }

    /// <summary>
    /// Creates a node (not yet started); a PostgreSQL case is skipped when no server is given.
    /// <paramref name="dataDir"/> puts its data directory (the SQLite files) somewhere particular, e.g. a small file system.
    /// </summary>
    public static NodeProcess Create(Store store, string? dataDir = null)
    {
        if (store == Store.Postgres && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable)))
        {
            Assert.Skip($"Set {PlazaApp.PostgresVariable} to a PostgreSQL connection string (./test.sh starts one).");
        }
        return new NodeProcess(store, dataDir);
    }

    /// <summary>The node's build: Plaza.dll is copied beside the tests by the project reference, in whatever configuration they were built.</summary>
    public static string PlazaDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Plaza.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Plaza.dll is not beside the test assembly; build the solution first.", dll);
        }
    }

    /// <summary>The SQLite database file (a SQLite node).</summary>
    public string DatabaseFile => Path.Combine(dataDir, "plaza.db");

    /// <summary>The node's database and a connection string to the server's maintenance database (a PostgreSQL node).</summary>
    public (string Database, string Admin)? Postgres => postgresDatabase is null ? null : (postgresDatabase, postgresAdmin!);

    public string? ConnectionString => postgresDatabase is null ? null
        : new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = postgresDatabase }.ToString();

    public string Log
    {
        get
        {
            lock (logGate)
            {
                return string.Join('\n', log.TakeLast(200));
            }
        }
    }

    /// <summary>Starts the node and waits until /healthz answers 200.</summary>
    public async Task StartAsync()
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException("The node is already running.");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var instance = Guid.NewGuid().ToString("N");
        listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var arg in Arguments(instance))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = HostEnvironment;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = HostEnvironment;
        // A test's node lives seconds, too short for profile-guided tier-1 code to pay back the
        // instrumented tier it first runs: without it a start costs about 0.8 CPU-s less.
        start.Environment["DOTNET_TieredPGO"] = "0";
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Generous: a child node JIT-compiles itself (several CPU-seconds), and a loaded 2-core machine shares them out slowly.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(deadline - DateTime.UtcNow)) != listening.Task)
        {
            throw new InvalidOperationException(process.HasExited
                ? $"The node exited with {process.ExitCode} while starting:\n{Log}"
                : $"The node did not report a listening address within 120 s:\n{Log}");
        }
        port = listening.Task.Result;
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The node exited with {process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                last = health.StatusCode;
                if (!health.Headers.TryGetValues(NodeSetup.InstanceHeader, out var answered) || answered.Single() != instance)
                {
                    throw new InvalidOperationException($"Another process answers at {BaseAddress} (instance {string.Join(",", answered ?? ["none"])}, not {instance}).");
                }
                if (last == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but still starting.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The node did not answer /healthz with 200 within 120 s ({(last is null ? "it never answered" : $"its last answer was {(int)last}")}):\n{Log}");
    }

    /// <summary>SIGKILL: the process gets no chance to flush, finish requests or close the store.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited)
        {
            return;
        }
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    private IEnumerable<string> Arguments(string instance)
    {
        yield return PlazaDll;
        yield return "--urls";
        yield return $"http://127.0.0.1:{port}";
        yield return $"--Plaza:DataDir={dataDir}";
        yield return $"--Plaza:Instance={instance}";
        foreach (var (key, value) in Settings)
        {
            yield return $"--{key}={value}";
        }
        yield return "--Logging:LogLevel:Default=Warning";
        // Kestrel's "Now listening on: …" line, read for the port a start on port 0 was given.
        yield return "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information";
        if (Store == Store.Postgres)
        {
            yield return "--Plaza:Database:Provider=Postgres";
            yield return $"--ConnectionStrings:Plaza={ConnectionString}";
        }
    }

    /// <summary>A DbContext on the node's store, outside the node, seeing every shop.</summary>
    public PlazaDb OpenStore() => Store == Store.Postgres
        ? new PostgresPlazaDb(new DbContextOptionsBuilder<PostgresPlazaDb>().UseNpgsql(ConnectionString).Options, new ShopScope())
        : new SqlitePlazaDb(new DbContextOptionsBuilder<SqlitePlazaDb>().UseSqlite($"Data Source={DatabaseFile};Pooling=false").Options, new ShopScope());

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (logGate)
        {
            log.Add(line);
        }
        if (ListeningLine().Match(line) is { Success: true } m)
        {
            listening.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is cleaned with the temp directory.
        }
    }
}
