using Plaza.Federation.ActivityStreams;

namespace Plaza.Federation.Tests;

/// <summary>Plaza.Federation is the protocol alone; the web host depends on it, never the other way.</summary>
public sealed class LibraryBoundaryTests
{
    [Fact]
    public void Federation_library_references_no_aspnet_core_ef_core_or_plaza_assembly()
    {
        var library = typeof(ActivityStreamsJson).Assembly;
        string[] forbiddenPrefixes = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Plaza"];

        var forbidden = library.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => forbiddenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Equal("Plaza.Federation", library.GetName().Name);
        Assert.Empty(forbidden);
    }
}
