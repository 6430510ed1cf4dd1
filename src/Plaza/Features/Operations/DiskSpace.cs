using Microsoft.Extensions.Options;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>Settings under <c>Plaza:Disk</c>.</summary>
public sealed class DiskOptions
{
    /// <summary>Below this much free space on the data directory's disk the node warns: in its log, on the operator's console, in a metric.</summary>
    public long WarnBelowMegabytes { get; set; } = 1024;

    /// <summary>Below this much the node reports itself not ready (<c>/healthz/ready</c>): SQLite would soon refuse writes.</summary>
    public long ReadyAboveMegabytes { get; set; } = 64;

    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Watches the free space of the disk that holds the data directory, and says so once when it falls under the
/// warning threshold (and once when it recovers), before SQLite starts refusing writes with "disk full".
/// </summary>
public sealed partial class DiskSpace(IConfiguration configuration, IOptions<DiskOptions> options, TimeProvider clock, ILogger<DiskSpace> log) : BackgroundService
{
    private readonly string dataDir = DataSetup.DataDirectory(configuration);
    private bool warned;

    public DiskOptions Options => options.Value;

    /// <summary>Free bytes on the data directory's disk now, or null when the disk cannot be read.</summary>
    public long? Free()
    {
        try
        {
            System.IO.Directory.CreateDirectory(dataDir);
            return new DriveInfo(dataDir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public bool Low => Free() is { } free && free < Options.WarnBelowMegabytes * 1024 * 1024;

    public bool TooLowToServe => Free() is { } free && free < Options.ReadyAboveMegabytes * 1024 * 1024;

    public string Directory => dataDir;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Check();
            await Task.Delay(Options.CheckEvery, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Check()
    {
        var free = Free();
        if (free is { } bytes && bytes < Options.WarnBelowMegabytes * 1024 * 1024)
        {
            if (!warned)
            {
                LogLow(dataDir, bytes / 1024 / 1024, Options.WarnBelowMegabytes);
                warned = true;
            }
        }
        else if (warned && free is not null)
        {
            LogRecovered(dataDir, free.Value / 1024 / 1024);
            warned = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The disk of {Directory} has {FreeMegabytes} MB free, under the {Threshold} MB warning threshold (Plaza:Disk:WarnBelowMegabytes): free space before the store runs out and refuses orders")]
    private partial void LogLow(string directory, long freeMegabytes, long threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "The disk of {Directory} has {FreeMegabytes} MB free again")]
    private partial void LogRecovered(string directory, long freeMegabytes);
}
