using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Federation.Signatures;

namespace Plaza.Features.Federation;

/// <summary>Signing keys of the node's shops and of its instance actor, generated on first need.</summary>
public sealed class FederationKeys(PlazaDb db, ActorUrls urls, TimeProvider clock)
{
    public const string InstanceKeyName = "instance";

    public async Task<ShopKey> ForShopAsync(int shopId, CancellationToken ct)
    {
        var existing = await db.ShopKeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking()
            .FirstOrDefaultAsync(k => k.ShopId == shopId, ct);
        if (existing is not null)
        {
            return existing;
        }
        var pair = RsaKeyPair.Generate();
        var key = new ShopKey { ShopId = shopId, PublicKeyPem = pair.PublicKeyPem, PrivateKeyPem = pair.PrivateKeyPem, CreatedAt = clock.GetUtcNow().UtcDateTime };
        if (await TryInsertAsync(key, ct))
        {
            return key;
        }
        // Another request made the key first; theirs is the one published.
        return await db.ShopKeys.IgnoreQueryFilters([PlazaDb.ShopFilter]).AsNoTracking().SingleAsync(k => k.ShopId == shopId, ct);
    }

    public async Task<SigningKey> SigningKeyForShopAsync(int shopId, string slug, CancellationToken ct) =>
        new(urls.KeyId(slug), (await ForShopAsync(shopId, ct)).PrivateKeyPem);

    public async Task<SigningKey> SigningKeyForInstanceAsync(CancellationToken ct) =>
        new(urls.InstanceKeyId, (await InstanceAsync(ct)).PrivateKeyPem);

    public async Task<NodeKey> InstanceAsync(CancellationToken ct)
    {
        var existing = await db.NodeKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == InstanceKeyName, ct);
        if (existing is not null)
        {
            return existing;
        }
        var pair = RsaKeyPair.Generate();
        var key = new NodeKey { Name = InstanceKeyName, PublicKeyPem = pair.PublicKeyPem, PrivateKeyPem = pair.PrivateKeyPem, CreatedAt = clock.GetUtcNow().UtcDateTime };
        if (await TryInsertAsync(key, ct))
        {
            return key;
        }
        return await db.NodeKeys.AsNoTracking().SingleAsync(k => k.Name == InstanceKeyName, ct);
    }

    private async Task<bool> TryInsertAsync(object key, CancellationToken ct)
    {
        var entry = db.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
            entry.State = EntityState.Detached;
            return true;
        }
        catch (DbUpdateException)
        {
            // Only our insert is undone: the caller may be tracking its own changes in this context.
            entry.State = EntityState.Detached;
            return false;
        }
    }
}
