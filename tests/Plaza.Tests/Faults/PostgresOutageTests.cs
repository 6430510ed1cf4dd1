using System.Net;
using Npgsql;
using Plaza.Tests.Infrastructure;
using static Plaza.Tests.Infrastructure.TestShops;

namespace Plaza.Tests.Faults;

/// <summary>
/// PostgreSQL goes away under a running node in the two ways a network store does: stopped
/// (connections refused and cut) and hung (connections kept, nothing answered). The node reaches
/// it through <see cref="TcpFaultProxy"/>, with the connect and command timeouts an operator sets
/// in the connection string. Customers and the health check get a 503 problem, not a hang or a
/// 500; nothing refused is stored; the same process recovers on its own.
/// </summary>
public sealed class PostgresOutageTests
{
    [Fact]
    public async Task A_stopped_or_hung_server_gets_503s_and_the_node_recovers_without_a_restart_losing_nothing()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable)))
        {
            Assert.Skip($"Set {PlazaApp.PostgresVariable} to a PostgreSQL connection string (./test.sh starts one).");
        }
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PlazaApp.PostgresVariable));
        await using var proxy = new TcpFaultProxy(admin.Host!, admin.Port);
        await using var app = await PlazaApp.StartAsync(Store.Postgres, configure: a => a.Settings["ConnectionStrings:Plaza"] =
            new NpgsqlConnectionStringBuilder(a.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3, CommandTimeout = 3 }.ToString());
        var shop = await CreateAsync(app);
        using var client = app.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        await Asserts.CreatedAsync(await PlaceAsync(client, shop, Order(shop), Guid.NewGuid().ToString("N")));

        var refused = new List<string>();
        await proxy.StopAsync();
        await RefusedAsync("stopped");
        await proxy.ResumeAsync();
        await RecoveredAsync("after the server came back");

        proxy.Hang();
        await RefusedAsync("hung");
        await proxy.ResumeAsync();
        await RecoveredAsync("after the server answered again");

        // A refused order left nothing behind: placed now with its key, it is new, not a replay.
        foreach (var key in refused)
        {
            using var retried = await PlaceAsync(client, shop, Order(shop), key);
            await Asserts.CreatedAsync(retried);
            Assert.False(retried.Headers.Contains("Idempotent-Replayed"), $"Order {key} was refused with a 503 but had been stored.");
        }
        Assert.Equal(3 + refused.Count, await Asserts.OrderCountAsync(app));

        async Task RefusedAsync(string how)
        {
            for (var n = 0; n < 2; n++)
            {
                var key = Guid.NewGuid().ToString("N");
                using var response = await PlaceAsync(client, shop, Order(shop), key);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"An order while the server is {how} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                await Asserts.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
                refused.Add(key);
            }
            await Asserts.ProblemAsync(await client.GetAsync(new Uri("/healthz", UriKind.Relative)), HttpStatusCode.ServiceUnavailable, "unavailable");
        }

        async Task RecoveredAsync(string when)
        {
            // Connections the pool held from before are found dead one by one; a few 503s first are fair.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using var response = await PlaceAsync(client, shop, Order(shop), Guid.NewGuid().ToString("N"));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    break;
                }
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{when}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.True(DateTime.UtcNow < deadline, $"No order was taken within 30 s {when}.");
                await Task.Delay(200);
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        }
    }
}
