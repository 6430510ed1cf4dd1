namespace Plaza.Tests.Infrastructure;

/// <summary>Theory data: every integration test runs on both stores.</summary>
public static class Stores
{
    public static TheoryData<Store> Both => new(Store.Sqlite, Store.Postgres);
}
