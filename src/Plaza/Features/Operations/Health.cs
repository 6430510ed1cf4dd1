using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>
/// Liveness and readiness, for a service manager, a load balancer or an orchestrator: <c>/healthz/live</c> answers
/// while the process serves requests at all (restart it when this fails); <c>/healthz/ready</c> (and <c>/healthz</c>,
/// its older name) when it can take orders: the store answers and can be written, its schema is this version's, and
/// its disk has room. Each answer names the process that gave it (<see cref="NodeSetup.InstanceHeader"/>).
/// </summary>
internal static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        var instance = app.Configuration["Plaza:Instance"] is { Length: > 0 } named ? named : Guid.NewGuid().ToString("N");
        app.MapGet("/healthz/live", (HttpResponse response) =>
            {
                response.Headers[NodeSetup.InstanceHeader] = instance;
                return Results.Text("ok");
            })
            .WithName("Liveness")
            .WithSummary("200 while the process serves requests; touches no store.");
        app.MapGet("/healthz/ready", (PlazaDb db, DiskSpace disk, HttpResponse response, CancellationToken ct) => ReadyAsync(db, disk, response, instance, ct))
            .WithName("Readiness")
            .WithSummary("200 when the node can take orders: its store answers and can be written, its schema is this version's and its disk has room; else 503 saying which.");
        app.MapGet("/healthz", (PlazaDb db, DiskSpace disk, HttpResponse response, CancellationToken ct) => ReadyAsync(db, disk, response, instance, ct))
            .WithName("Health")
            .WithSummary("The readiness check under its first name; the Plaza-Instance header names the process that answered.");
    }

    private static async Task<IResult> ReadyAsync(PlazaDb db, DiskSpace disk, HttpResponse response, string instance, CancellationToken ct)
    {
        response.Headers[NodeSetup.InstanceHeader] = instance;
        return await ProblemAsync(db, disk, ct) is { } problem
            ? Problems.Make(StatusCodes.Status503ServiceUnavailable, "unavailable", problem)
            : Results.Text("ok");
    }

    private static async Task<string?> ProblemAsync(PlazaDb db, DiskSpace disk, CancellationToken ct)
    {
        if (!await db.Database.CanConnectAsync(ct))
        {
            return Text.Say("The store cannot be reached.");
        }
        if (!SqliteWritable(db))
        {
            return Text.Say("The store cannot be written.");
        }
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            return Text.Say("The store's schema is not this version's: restart the node to upgrade it.");
        }
        if (disk.TooLowToServe)
        {
            return Text.Say("The disk of the data directory is almost full ({0} MB free).", (disk.Free() ?? 0) / 1024 / 1024);
        }
        return null;
    }

    /// <summary>
    /// A SQLite file that can be read but not written (read-only or immutable files, a read-only mount)
    /// still connects, yet every order would fail: opening its files for writing, which writes nothing, tells.
    /// </summary>
    private static bool SqliteWritable(PlazaDb db)
    {
        if (!db.Database.IsSqlite())
        {
            return true;
        }
        var file = db.Database.GetDbConnection().DataSource;
        try
        {
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
