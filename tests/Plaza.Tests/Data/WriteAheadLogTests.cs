using Microsoft.Data.Sqlite;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Data;

/// <summary>
/// The SQLite write-ahead log after a busy spell. While a reader holds an old snapshot a checkpoint cannot start
/// the log over, so it grows past its 4 MB checkpoint, as it does under steady load; once the readers move on, the
/// node cuts the file back to its limit instead of keeping the high-water mark on disk until it stops.
/// </summary>
public sealed class WriteAheadLogTests
{
    [Fact]
    public async Task The_log_grown_under_a_long_reader_is_cut_back_to_its_limit_once_the_reader_is_gone()
    {
        const int LimitMegabytes = 1;
        const long Limit = LimitMegabytes * 1024 * 1024;
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.Settings["Plaza:Sqlite:WalLimitMegabytes"] = $"{LimitMegabytes}");
        var shop = await CreateAsync(app);
        using var client = app.CreateClient();
        var wal = new FileInfo(app.SqliteFile + "-wal");
        long Size()
        {
            wal.Refresh();
            return wal.Exists ? wal.Length : 0;
        }

        // A reader in the middle of a long read: its snapshot keeps every frame written after it in the log.
        await using (var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = app.SqliteFile, Mode = SqliteOpenMode.ReadOnly }.ToString()))
        {
            await reader.OpenAsync(TestContext.Current.CancellationToken);
            await using var snapshot = reader.BeginTransaction();
            await using (var read = reader.CreateCommand())
            {
                read.CommandText = "SELECT COUNT(*) FROM \"Orders\"";
                await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            }
            var placed = 0;
            while (Size() < 6 * 1024 * 1024)
            {
                Assert.True(placed < 3000, $"The log was {Size():N0} bytes after {placed} orders.");
                var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PlaceAsync(client, shop, Order(shop))));
                foreach (var response in responses)
                {
                    await Asserts.CreatedAsync(response);
                    response.Dispose();
                }
                placed += responses.Length;
            }
        }

        // The reader is gone: the next commit checkpoints the whole log, and the write after it starts the log over.
        var grown = Size();
        for (var n = 0; n < 50 && Size() > Limit; n++)
        {
            using var response = await PlaceAsync(client, shop, Order(shop));
            await Asserts.CreatedAsync(response);
        }
        Assert.True(Size() <= Limit, $"The log grew to {grown:N0} bytes and is still {Size():N0} bytes, over its {LimitMegabytes} MB limit.");
    }
}
