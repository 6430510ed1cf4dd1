using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Features.Moderation;

/// <summary>
/// Reports need no account, so one client address may send only <c>Plaza:RateLimits:ReportsPerHour</c>
/// an hour. Counted in the store rather than in memory, so app processes sharing one database (behind
/// a load balancer) hold the same limit. Addresses are stored only as a hash, for one window.
/// </summary>
public sealed class ReportLimit(PlazaDb db, IConfiguration configuration, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>
    /// Why a report form post is refused — too many from this address (429, with Retry-After) or a
    /// bad comment (400) — or null when it may be filed. Both report pages ask this first.
    /// </summary>
    public async Task<(int Status, string Error)?> RefusalAsync(HttpContext http, string? comment, CancellationToken ct)
    {
        if (!await AdmitAsync(http.Connection.RemoteIpAddress, ct))
        {
            http.Response.Headers.RetryAfter = "3600";
            return (StatusCodes.Status429TooManyRequests, Reports.TooMany);
        }
        return Reports.Validate(comment) is { } invalid ? (StatusCodes.Status400BadRequest, invalid) : null;
    }

    /// <summary>Records the attempt and says whether it is within the limit; a refused attempt is not kept.</summary>
    public async Task<bool> AdmitAsync(IPAddress? client, CancellationToken ct)
    {
        var limit = configuration.GetValue("Plaza:RateLimits:ReportsPerHour", 5);
        var key = ClientKey(client);
        var now = clock.GetUtcNow().UtcDateTime;
        var attempt = new ReportAttempt { ClientKey = key, At = now };
        db.ReportAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        // Counted after this attempt is committed: of two racing processes the later one sees both rows,
        // so they may both be refused but never both admitted past the limit.
        var since = now - Window;
        var recent = await db.ReportAttempts.CountAsync(a => a.ClientKey == key && a.At > since, ct);
        if (recent > limit)
        {
            db.ReportAttempts.Remove(attempt);
            await db.SaveChangesAsync(ct);
            return false;
        }
        await db.ReportAttempts.Where(a => a.At <= since).ExecuteDeleteAsync(ct);
        return true;
    }

    private static string ClientKey(IPAddress? address) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("plaza-report:" + (address?.ToString() ?? "unknown"))))[..32];
}
