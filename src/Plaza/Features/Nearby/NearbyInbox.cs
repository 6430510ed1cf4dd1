using Microsoft.EntityFrameworkCore;
using Plaza.Data;
using Plaza.Features.Federation;

namespace Plaza.Features.Nearby;

/// <summary>
/// A shop's follow accepted by another shop: that shop joins this node's nearby directory (a person or
/// bot simply is not listed). Asked after follows, which records the acceptance.
/// </summary>
public sealed class NearbyInbox(ShopDirectory directory) : IInboxHandler
{
    public async Task<bool> HandleAsync(InboxContext context, CancellationToken ct)
    {
        if (context.Row.Type == "Accept" && context.Target?.Id is { } followId
            && await context.Db.Followings.IgnoreQueryFilters([PlazaDb.ShopFilter])
                .AnyAsync(f => f.FollowActivityId == followId && f.ActorId == context.Row.ActorId && f.Accepted, ct))
        {
            await directory.LearnAsync(context.Row.ActorId, KnownShopSource.Followed, ct);
            return true;
        }
        return false;
    }
}
