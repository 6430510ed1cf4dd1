using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>A <c>Flag</c> from another server becomes a report for this node's operator.</summary>
public sealed class ModerationInbox(Reports reports) : IInboxHandler
{
    public async Task<bool> HandleAsync(InboxContext context, CancellationToken ct)
    {
        if (context.Row.Type != "Flag")
        {
            return false;
        }
        await reports.ReceiveFlagAsync(context.Row.ActorId, context.Activity.Object?.Select(o => o.Id) ?? [], context.Activity.Content, ct);
        return true;
    }
}
