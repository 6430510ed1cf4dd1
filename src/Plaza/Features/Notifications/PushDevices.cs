using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Notifications;

/// <summary>What a browser's <c>PushSubscription.toJSON()</c> gives.</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <summary>
/// Keeps the push subscriptions staff and customers make: checked (an https push service, keys of the
/// right size), one row per browser and purpose however often it subscribes, a few per order and per
/// member of staff. The push service's address is the browser's to choose, so it must be a public
/// https one: the node would otherwise post to whatever address a stranger typed (names in
/// <c>Plaza:Federation:AllowedPrivateHosts</c> excepted, for tests).
/// </summary>
public sealed class PushDevices(PlazaDb db, TimeProvider clock, FederationOptions federation, Attendance attendance, OrderAlerts alerts)
{
    public const int PerOrder = 4;
    public const int PerStaff = 10;

    /// <summary>Adds or refreshes a staff member's device for the shop's new orders.</summary>
    public Task<ProblemHttpResult?> AddStaffAsync(int shopId, int accountId, PushSubscriptionRequest request, CancellationToken ct) =>
        AddAsync(new PushDevice { ShopId = shopId, Audience = PushAudience.Staff, AccountId = accountId, Endpoint = "", P256dh = "", Auth = "" },
            request, db.Set<PushDevice>().Where(d => d.Audience == PushAudience.Staff && d.AccountId == accountId), PerStaff, ct);

    /// <summary>Adds or refreshes a customer's device for one order.</summary>
    public Task<ProblemHttpResult?> AddCustomerAsync(int shopId, Guid orderId, PushSubscriptionRequest request, CancellationToken ct) =>
        AddAsync(new PushDevice { ShopId = shopId, Audience = PushAudience.Customer, OrderId = orderId, Endpoint = "", P256dh = "", Auth = "" },
            request, db.Set<PushDevice>().Where(d => d.OrderId == orderId), PerOrder, ct);

    /// <summary>Removes a staff device (it stops counting as someone watching).</summary>
    public async Task<int> RemoveStaffAsync(int shopId, int accountId, string? endpoint, CancellationToken ct)
    {
        var removed = await db.Set<PushDevice>().Where(d => d.Audience == PushAudience.Staff && d.AccountId == accountId && d.Endpoint == endpoint).ExecuteDeleteAsync(ct);
        attendance.Forget(shopId);
        return removed;
    }

    private async Task<ProblemHttpResult?> AddAsync(PushDevice device, PushSubscriptionRequest request, IQueryable<PushDevice> same, int limit, CancellationToken ct)
    {
        if (Check(request) is { } invalid)
        {
            return Problems.Invalid(invalid);
        }
        device.Endpoint = request.Endpoint!;
        device.P256dh = request.Keys!.P256dh!;
        device.Auth = request.Keys.Auth!;
        device.Language = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en";
        device.CreatedAt = clock.GetUtcNow().UtcDateTime;
        // The same browser subscribing again (a new page load, new keys after the push service rotated them) replaces itself.
        await same.Where(d => d.Endpoint == device.Endpoint).ExecuteDeleteAsync(ct);
        if (await same.CountAsync(ct) >= limit)
        {
            return Problems.Conflict("too-many-devices", Text.Say("At most {0} devices can be told about this; remove one first.", limit));
        }
        db.Add(device);
        await db.SaveChangesAsync(ct);
        attendance.Forget(device.ShopId);
        alerts.Listening(device);
        return null;
    }

    private Dictionary<string, string[]>? Check(PushSubscriptionRequest request)
    {
        var invalid = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var endpoint) || request.Endpoint!.Length > PushDevice.MaxEndpointLength
            || !(endpoint.Scheme == Uri.UriSchemeHttps || endpoint.Scheme == Uri.UriSchemeHttp && federation.AllowedPrivateHosts.Contains(endpoint.Host, StringComparer.OrdinalIgnoreCase))
            || endpoint.UserInfo.Length > 0)
        {
            invalid["endpoint"] = [Text.Say("Give the push service's https address, as the browser gave it.")];
        }
        if (Bytes(request.Keys?.P256dh) is not { Length: 65 } point || point[0] != 0x04)
        {
            invalid["keys.p256dh"] = [Text.Say("Give the browser's P-256 public key (65 bytes, base64url).")];
        }
        if (Bytes(request.Keys?.Auth) is not { Length: 16 })
        {
            invalid["keys.auth"] = [Text.Say("Give the browser's authentication secret (16 bytes, base64url).")];
        }
        return invalid.Count > 0 ? invalid : null;
    }

    private static byte[]? Bytes(string? base64Url)
    {
        if (string.IsNullOrEmpty(base64Url) || base64Url.Length > 100)
        {
            return null;
        }
        try
        {
            return WebEncoders.Base64UrlDecode(base64Url.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
