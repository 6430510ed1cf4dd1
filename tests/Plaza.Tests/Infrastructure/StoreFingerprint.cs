using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Plaza.Tests.Infrastructure;

/// <summary>
/// What a store holds, as one hash, read column by column with plain SQL from the model's mapping: so a table
/// added later is in it without touching the tests that compare before and after.
/// </summary>
public static class StoreFingerprint
{
    /// <summary>
    /// Every row of every table, and the files under the data directory's <c>media/</c> (name and size): what
    /// any request could change on the node.
    /// </summary>
    public static async Task<string> NodeAsync(PlazaApp app)
    {
        var rows = await HashAsync(app, db => AllRowQueries(db.Model), null);
        var media = Path.Combine(app.DataDir, "media");
        var files = Directory.Exists(media)
            ? string.Join(';', Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => $"{Path.GetRelativePath(media, f)}:{new FileInfo(f).Length}"))
            : "";
        return rows + "|" + files;
    }

    /// <summary>One query per table, all its rows ordered by key.</summary>
    public static List<(string Table, string Sql)> AllRowQueries(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        [.. model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).OrderBy(e => e.GetTableName(), StringComparer.Ordinal).Select(entity =>
        {
            var table = entity.GetTableName()!;
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
            var order = string.Join(", ", entity.FindPrimaryKey()!.Properties.Select(p => $"\"{p.GetColumnName(store)}\""));
            return (table, $"SELECT * FROM \"{table}\" ORDER BY {order}");
        })];

    /// <summary>
    /// Every row of one shop, in every table: the shop's own row, each table with a
    /// <c>ShopId</c>, and each table whose rows hang off one (order lines, hub members), read column by column
    /// with plain SQL from the model's mapping, so a table added later is covered without touching this test.
    /// </summary>
    public static Task<string> ShopAsync(PlazaApp app, int shopId) => HashAsync(app, db => ShopRowQueries(db.Model), shopId);

    /// <summary>
    /// Runs every table's query in one command and digests each result in turn: one round trip instead of one per
    /// table, which on PostgreSQL is most of what a fingerprint costs (the sweeps take hundreds of them).
    /// </summary>
    private static Task<string> HashAsync(PlazaApp app, Func<Plaza.Data.PlazaDb, List<(string Table, string Sql)>> queries, int? shopId) => app.WithDb(null, async db =>
    {
        var digests = new StringBuilder();
        var tables = queries(db);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = string.Join(";\n", tables.Select(t => t.Sql));
            if (shopId is { } id)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@shop";
                parameter.Value = id;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync();
            for (var t = 0; t < tables.Count; t++)
            {
                if (t > 0 && !await reader.NextResultAsync())
                {
                    throw new InvalidOperationException($"The store answered {t} of {tables.Count} table queries; {tables[t].Table} and after are missing.");
                }
                var text = new StringBuilder();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                    }
                    text.Append(';');
                }
                // A short digest per table, so a failing comparison names the table that changed.
                digests.Append(tables[t].Table).Append('=').Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12]).Append(' ');
            }
            if (await reader.NextResultAsync())
            {
                throw new InvalidOperationException($"The store answered more than the {tables.Count} table queries asked.");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return digests.ToString();
    });

    /// <summary>One query per table that holds a shop's rows, ordered by key; <c>@shop</c> is the shop's id.</summary>
    public static List<(string Table, string Sql)> ShopRowQueries(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        static string Q(string name) => $"\"{name}\"";
        var queries = new List<(string, string)>();
        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).OrderBy(e => e.GetTableName(), StringComparer.Ordinal))
        {
            var table = entity.GetTableName()!;
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
            var order = string.Join(", ", entity.FindPrimaryKey()!.Properties.Select(p => "t." + Q(p.GetColumnName(store)!)));
            if (entity.ClrType == typeof(Plaza.Features.Catalog.Shop))
            {
                queries.Add((table, $"SELECT t.* FROM {Q(table)} t WHERE t.{Q("Id")} = @shop"));
            }
            else if (entity.FindProperty("ShopId") is { } shopId)
            {
                queries.Add((table, $"SELECT t.* FROM {Q(table)} t WHERE t.{Q(shopId.GetColumnName(store)!)} = @shop ORDER BY {order}"));
            }
            else if (entity.GetForeignKeys().FirstOrDefault(f => f.PrincipalEntityType.FindProperty("ShopId") is not null && f.Properties.Count == 1) is { } parent)
            {
                var principal = parent.PrincipalEntityType;
                var principalStore = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(principal.GetTableName()!, principal.GetSchema());
                queries.Add((table, $"SELECT t.* FROM {Q(table)} t JOIN {Q(principal.GetTableName()!)} p ON t.{Q(parent.Properties[0].GetColumnName(store)!)} = p.{Q(parent.PrincipalKey.Properties[0].GetColumnName(principalStore)!)} " +
                    $"WHERE p.{Q(principal.FindProperty("ShopId")!.GetColumnName(principalStore)!)} = @shop ORDER BY {order}"));
            }
        }
        return queries;
    }
}
