using Plaza.Features.Federation;

namespace Plaza.Features.Hubs;

/// <summary>The hubs' part of the inbox (see <see cref="HubActivities"/>); asked before follows, as a hub's Group is followed like a shop.</summary>
public sealed class HubsInbox : IInboxHandler
{
    public Task<bool> HandleAsync(InboxContext context, CancellationToken ct) =>
        HubActivities.HandleAsync(context.Services, context.Db, context.Row, context.Activity, ct);
}
