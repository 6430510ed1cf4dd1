using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Plaza.Common;

namespace Plaza.Data;

/// <summary>PlazaDb on embedded SQLite; its migrations live in Data/Migrations/Sqlite.</summary>
public sealed class SqlitePlazaDb(DbContextOptions<SqlitePlazaDb> options, ShopScope scope) : PlazaDb(options, scope)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no kind with a date; every DateTime Plaza stores is UTC, so say so on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>PlazaDb on PostgreSQL; its migrations live in Data/Migrations/Postgres.</summary>
public sealed class PostgresPlazaDb(DbContextOptions<PostgresPlazaDb> options, ShopScope scope) : PlazaDb(options, scope);

/// <summary>Lets <c>dotnet ef migrations add --context SqlitePlazaDb</c> build the model without the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePlazaDb>
{
    public SqlitePlazaDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePlazaDb>().UseSqlite("Data Source=design.db").Options, new ShopScope());
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresPlazaDb</c> build the model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPlazaDb>
{
    public PostgresPlazaDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPlazaDb>().UseNpgsql("Host=localhost;Database=plaza_design").Options, new ShopScope());
}
