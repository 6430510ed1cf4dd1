using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Plaza.Data;

namespace Plaza.Features.Operations;

/// <summary>
/// Copies every row of one store into another of the other kind (a SQLite backup into PostgreSQL, to move a
/// growing node), both at the same schema: table by table, principals before dependents, each row through
/// EF's own mapping of the two stores, in one transaction on the target. The catalog triggers bump each shop's
/// catalog version as its menu rows arrive; the shops' versions are put back after.
/// </summary>
public static class StoreCopy
{
    private const int Page = 1000;

    private static readonly MethodInfo CopyTableMethod = typeof(StoreCopy).GetMethod(nameof(CopyTableAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Copies all rows and returns each table's count; the target's tables must be empty.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CopyAsync(PlazaDb source, PlazaDb target, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        source.ChangeTracker.AutoDetectChangesEnabled = false;
        target.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await target.Database.BeginTransactionAsync(cancellationToken);
        foreach (var entity in InsertOrder(target.Model))
        {
            var copy = (Task<int>)CopyTableMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [source, target, entity, cancellationToken])!;
            counts[entity.GetTableName()!] = await copy;
        }
        var versions = await source.Shops.IgnoreQueryFilters().AsNoTracking().Select(s => new { s.Id, s.CatalogVersion }).ToListAsync(cancellationToken);
        foreach (var shop in versions)
        {
            await target.Shops.IgnoreQueryFilters().Where(s => s.Id == shop.Id && s.CatalogVersion != shop.CatalogVersion)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.CatalogVersion, shop.CatalogVersion), cancellationToken);
        }
        if (target.Database.IsNpgsql())
        {
            await ResetSequencesAsync(target, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return counts;
    }

    /// <summary>Each table's row count, to compare a copy with its source.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync(PlazaDb db, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var entity in InsertOrder(db.Model))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{entity.GetTableName()}\"";
                counts[entity.GetTableName()!] = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return counts;
    }

    /// <summary>The model's tables, each after every table its foreign keys point at.</summary>
    private static List<IEntityType> InsertOrder(IModel model)
    {
        var ordered = new List<IEntityType>();
        var seen = new HashSet<IEntityType>();
        void Visit(IEntityType entity)
        {
            if (!seen.Add(entity))
            {
                return;
            }
            foreach (var key in entity.GetForeignKeys().Where(k => k.PrincipalEntityType.GetRootType() != entity))
            {
                Visit(key.PrincipalEntityType.GetRootType());
            }
            ordered.Add(entity);
        }
        foreach (var entity in model.GetEntityTypes().Where(e => e.BaseType is null && !e.IsOwned() && e.GetTableName() is not null && e.FindPrimaryKey() is not null)
            .OrderBy(e => e.GetTableName(), StringComparer.Ordinal))
        {
            Visit(entity);
        }
        return ordered;
    }

    private static async Task<int> CopyTableAsync<T>(PlazaDb source, PlazaDb target, IEntityType entity, CancellationToken cancellationToken) where T : class
    {
        IQueryable<T> rows = source.Set<T>().IgnoreQueryFilters();
        IOrderedQueryable<T>? ordered = null;
        foreach (var key in entity.FindPrimaryKey()!.Properties)
        {
            ordered = ordered is null ? rows.OrderBy(r => EF.Property<object>(r, key.Name)) : ordered.ThenBy(r => EF.Property<object>(r, key.Name));
        }
        var copied = 0;
        while (true)
        {
            var page = await ordered!.Skip(copied).Take(Page).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                var from = source.Entry(row);
                var to = target.Entry(from.CurrentValues.ToObject());
                to.State = EntityState.Added;
                foreach (var property in entity.GetProperties())
                {
                    // PostgreSQL keeps instants in UTC only; SQLite kept the offset a value was written with.
                    to.Property(property.Name).CurrentValue = from.Property(property.Name).CurrentValue is DateTimeOffset { Offset.Ticks: not 0 } instant
                        ? instant.ToUniversalTime() : from.Property(property.Name).CurrentValue;
                }
            }
            await target.SaveChangesAsync(cancellationToken);
            source.ChangeTracker.Clear();
            target.ChangeTracker.Clear();
            copied += page.Count;
            if (page.Count < Page)
            {
                return copied;
            }
        }
    }

    /// <summary>Identity columns were given their values explicitly; each sequence goes on after the highest one copied.</summary>
    private static async Task ResetSequencesAsync(PlazaDb target, CancellationToken cancellationToken)
    {
        foreach (var entity in InsertOrder(target.Model))
        {
            if (entity.FindPrimaryKey()!.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } key] && key.ClrType is var type && (type == typeof(int) || type == typeof(long)))
            {
                var table = entity.GetTableName()!;
                var column = key.GetColumnName(StoreObjectIdentifier.Table(table, entity.GetSchema()));
#pragma warning disable EF1002 // names come from the model, not from input
                await target.Database.ExecuteSqlRawAsync(
                    $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE(MAX(\"{column}\"), 1), MAX(\"{column}\") IS NOT NULL) FROM \"{table}\"",
                    cancellationToken);
#pragma warning restore EF1002
            }
        }
    }
}
