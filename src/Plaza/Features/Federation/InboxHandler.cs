using Plaza.Data;
using Plaza.Federation.ActivityStreams;

namespace Plaza.Features.Federation;

/// <summary>A stored inbox activity as a feature's handler sees it, with the worker's scope and store.</summary>
public sealed record InboxContext(IServiceProvider Services, PlazaDb Db, InboxActivity Row, Activity Activity, DateTime Now)
{
    /// <summary>The activity's first object (an id, or the embedded object).</summary>
    public LinkOrObject? Target => Activity.Object?.First;
}

/// <summary>
/// A feature's part in acting on received activities (follows, hubs, reports…). <see cref="InboxWorker"/>
/// asks the handlers in the order the features were added (<c>Program.cs</c>) and stops at the first that
/// answers true: the activity was wholly its own. A handler that does its part and answers false lets the
/// next ones act too (an actor's Delete ends both its hub memberships and its follows).
/// </summary>
public interface IInboxHandler
{
    Task<bool> HandleAsync(InboxContext context, CancellationToken ct);
}
