using System.Reflection;
using Plaza.Tests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(LongRunningFirst))]

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// A test class that takes minutes where most take seconds (a sweep of every route, nodes killed and
/// restarted): <see cref="LongRunningFirst"/> starts it before the others.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LongRunningAttribute : Attribute;

/// <summary>
/// Starts the <see cref="LongRunningAttribute"/> classes first, then the rest in xUnit's own (random) order.
/// A class's tests run one after another, so a long class started late runs on alone at the end while the
/// other cores idle; started first, the short classes fill the cores beside it.
/// </summary>
public sealed class LongRunningFirst : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection
    {
        var longRunning = typeof(LongRunningFirst).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<LongRunningAttribute>() is not null)
            .Select(CollectionAttribute.GetCollectionNameForType)
            .ToHashSet(StringComparer.Ordinal);
        var ordered = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return [.. ordered.Where(c => longRunning.Contains(c.TestCollectionDisplayName)), .. ordered.Where(c => !longRunning.Contains(c.TestCollectionDisplayName))];
    }
}
