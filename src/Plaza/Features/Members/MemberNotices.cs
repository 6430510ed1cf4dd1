using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Mail;
using Plaza.Features.Ordering;

namespace Plaza.Features.Members;

/// <summary>E-mail to a member about their order, queued in the caller's unit of work (so it is sent once the change commits, and only then).</summary>
public sealed class MemberNotices(PlazaDb db, ShopScope scope, Outbox outbox, PublicOrigin origin, IStringLocalizer<Text> text)
{
    /// <summary>Queues "your order is ready" for the order's member, if it has one with an e-mail address.</summary>
    public async Task QueueReadyAsync(Order order, CancellationToken ct)
    {
        // A member who joined with a passkey alone gave no address: nothing to send.
        if (order.MemberId is not { } id || await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is not { Email: { } email } member)
        {
            return;
        }
        var shop = scope.Current;
        var (subject, body) = Outbox.In(member.Language, () => (
            text["Your order {0} at {1} is ready", order.Number, shop.Name].Value,
            text["Your order {0} at {1} is ready.\n\nSee it: {2}\n", order.Number, shop.Name, origin.Link($"/s/{shop.Slug}/orders/{order.Id}")].Value));
        outbox.Add(email, subject, body);
    }
}
