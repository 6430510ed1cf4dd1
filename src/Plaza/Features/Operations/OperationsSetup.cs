using System.Net;
using OpenTelemetry.Metrics;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>
/// Running a node for years: backups (a command, a schedule, one before every upgrade) and restores, liveness and
/// readiness, metrics for Prometheus, and a watch on the disk.
/// </summary>
public static class OperationsSetup
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Plaza:Backup"));
        services.Configure<DiskOptions>(configuration.GetSection("Plaza:Disk"));
        services.AddSingleton<Backups>().AddSingleton<Restorer>().AddSingleton<IUpgradeGuard, SafeUpgrade>();
        services.AddSingleton<BackupWorker>().AddHostedService(s => s.GetRequiredService<BackupWorker>());
        services.AddSingleton<DiskSpace>().AddHostedService(s => s.GetRequiredService<DiskSpace>());
        services.AddSingleton<NodeGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PlazaMetrics.MeterName).AddPrometheusExporter());
        services.AddCommand("backup", BackupCommands.BackupAsync, migrates: false);
        services.AddCommand("restore", BackupCommands.RestoreAsync, migrates: false);
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.Services.GetRequiredService<NodeGauges>(); // its gauges exist from the first scrape
        var allowed = (app.Configuration.GetSection("Plaza:Metrics:AllowFrom").Get<string[]>() ?? ["127.0.0.0/8", "::1/128"])
            .Select(n => IPNetwork.Parse(n.Contains('/', StringComparison.Ordinal) ? n : n + (n.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"))).ToList();
        // Elsewhere /metrics is not there at all (404): who may read a node's numbers is the operator's choice.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsPath
            && context.Connection.RemoteIpAddress is { } address
            && allowed.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)));
        app.MapHealth();
        return app;
    }
}
