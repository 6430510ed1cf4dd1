using System.Collections.Concurrent;

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// One node per store for the tests of a class (an xunit class fixture), started when a test first asks
/// for it and stopped after the class: for tests that each make their own shop and look only at what
/// they made, or at counts taken before and after. The tests of a class run one after another, so
/// nothing else writes to the node while one runs. A test about how a node starts, or one that needs
/// other settings or a clock of its own, starts its own node instead.
/// </summary>
public sealed class SharedNodes : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Store, Lazy<Task<PlazaApp>>> nodes = new();

    public Task<PlazaApp> GetAsync(Store store) => nodes.GetOrAdd(store, s => new(() => PlazaApp.StartAsync(s))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes.Values.Where(n => n.IsValueCreated && n.Value.IsCompletedSuccessfully))
        {
            await (await node.Value).DisposeAsync();
        }
    }
}
