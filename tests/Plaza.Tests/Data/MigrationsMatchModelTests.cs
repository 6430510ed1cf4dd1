using Microsoft.EntityFrameworkCore;
using Plaza.Data;

namespace Plaza.Tests.Data;

/// <summary>
/// Each store's migration set is up to date with the model: what <c>dotnet ef migrations
/// has-pending-model-changes</c> checks, on the contexts the design-time factories make for it,
/// without starting the tool (no server is needed; the model is compared with the last snapshot).
/// </summary>
public sealed class MigrationsMatchModelTests
{
    [Fact]
    public void The_SQLite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes without a SQLite migration: run dotnet ef migrations add <Name> --project src/Plaza --context SqlitePlazaDb --output-dir Data/Migrations/Sqlite.");
    }

    [Fact]
    public void The_PostgreSQL_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes without a PostgreSQL migration: run dotnet ef migrations add <Name> --project src/Plaza --context PostgresPlazaDb --output-dir Data/Migrations/Postgres.");
    }
}
