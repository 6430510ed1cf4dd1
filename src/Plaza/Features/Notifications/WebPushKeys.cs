using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Notifications;

/// <summary>
/// The node's VAPID key pair (RFC 8292): a P-256 key made on first need and kept with the node's other
/// keys. Browsers subscribe with its public half; the push services then take only messages this node
/// signed. Kept in memory once read: it never changes (a new one would orphan every subscription).
/// </summary>
public sealed class WebPushKeys(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    public const string KeyName = "vapid";
    private readonly SemaphoreSlim gate = new(1, 1);
    private VapidPair? pair;

    /// <summary>The public key as the uncompressed point, base64url: what <c>applicationServerKey</c> takes.</summary>
    public sealed record VapidPair(string PublicKey, string PrivateKey);

    public async Task<VapidPair> GetAsync(CancellationToken ct)
    {
        if (pair is { } known)
        {
            return known;
        }
        await gate.WaitAsync(ct);
        try
        {
            return pair ??= await LoadOrMakeAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<VapidPair> LoadOrMakeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlazaDb>();
        var stored = await db.NodeKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == KeyName, ct);
        if (stored is null)
        {
            using var made = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            db.NodeKeys.Add(new NodeKey { Name = KeyName, PublicKeyPem = made.ExportSubjectPublicKeyInfoPem(), PrivateKeyPem = made.ExportPkcs8PrivateKeyPem(), CreatedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process made it first: theirs is the node's.
            }
            stored = await db.NodeKeys.AsNoTracking().SingleAsync(k => k.Name == KeyName, ct);
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(stored.PrivateKeyPem);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var point = new byte[65];
        point[0] = 0x04;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        return new VapidPair(WebEncoders.Base64UrlEncode(point), WebEncoders.Base64UrlEncode(parameters.D!));
    }
}
