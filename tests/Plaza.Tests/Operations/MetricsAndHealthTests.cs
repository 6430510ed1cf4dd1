using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plaza.Features.Operations;
using Plaza.Tests.Infrastructure;

namespace Plaza.Tests.Operations;

/// <summary>
/// Runs alone, after the tests that run side by side: OpenTelemetry reads every meter named <c>Plaza</c> in the
/// process, so a node's /metrics in a test process also shows the instruments of other test nodes alive at the same
/// time (a production process has one node). Seen once: another test's backup made the "no backup yet" check fail.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class NodeWideMetrics;

/// <summary>What an operator's Prometheus and service manager see: the node's instruments at /metrics, and liveness and readiness.</summary>
[Collection(typeof(NodeWideMetrics))]
public sealed partial class MetricsAndHealthTests
{
    [Fact]
    public async Task Prometheus_reads_the_orders_a_shop_took_and_the_node_gauges_from_the_loopback_address()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a => a.ListenOn("127.0.0.1", 0));
        var shop = await TestShops.CreateAsync(app);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await TestShops.PlaceAsync(client, shop, TestShops.Order(shop))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await TestShops.PlaceAsync(client, shop, new { type = "pickup", items = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/shops/{shop.Slug}/menu")).StatusCode);

        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(3, Sample(text, "plaza_orders_placed_total", $"shop=\"{shop.Slug}\""));
        Assert.Equal(1, Sample(text, "plaza_orders_refused_total", $"shop=\"{shop.Slug}\""));
        Assert.True(Sample(text, "plaza_orders_batch_size_count", null) >= 1);
        Assert.True(Sample(text, "plaza_orders_write_duration_seconds_count", null) >= 1);
        Assert.True(Sample(text, "plaza_menu_cache_requests_total", "result=\"hit\"") + Sample(text, "plaza_menu_cache_requests_total", "result=\"miss\"") >= 1);
        Assert.Equal(0, Sample(text, "plaza_queue_depth", "queue=\"deliveries\""));
        Assert.True(Sample(text, "plaza_disk_free_bytes", null) > 0);
        Assert.Contains("plaza_federation_failing_hosts", text, StringComparison.Ordinal);
        Assert.Contains("plaza_sse_connections", text, StringComparison.Ordinal);
        Assert.DoesNotContain("plaza_backup_age", text, StringComparison.Ordinal); // no backup yet

        await app.Services.GetRequiredService<Backups>().TakeAsync(Backups.Prefix, CancellationToken.None);
        var after = await client.GetStringAsync("/metrics");
        Assert.InRange(Sample(after, "plaza_backup_age_seconds", null), 0, 60);
    }

    [Fact]
    public async Task Metrics_are_not_there_for_an_address_the_operator_did_not_allow()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            a.ListenOn("127.0.0.1", 0);
            a.Settings["Plaza:Metrics:AllowFrom:0"] = "10.0.0.0/8";
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Liveness_answers_while_readiness_says_the_disk_is_almost_full_and_the_operator_sees_it_on_the_console()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite, configure: a =>
        {
            // Thresholds no disk here meets: the node finds its disk "almost full".
            a.Settings["Plaza:Disk:ReadyAboveMegabytes"] = "1000000000";
            a.Settings["Plaza:Disk:WarnBelowMegabytes"] = "1000000000";
        });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        var ready = await client.GetAsync("/healthz/ready");
        var problem = await Asserts.ProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Contains("almost full", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);

        var email = ConsoleSession.NewEmail("operator");
        using var session = await ConsoleSession.SignedInAsync(app, email);
        Assert.DoesNotContain("disk-warning", await session.Client.GetStringAsync("/console"), StringComparison.Ordinal);
        await app.WithDb(null, db => db.Accounts.Where(a => a.Email == email).ExecuteUpdateAsync(u => u.SetProperty(a => a.IsOperator, true)));
        await session.SignInAsync(email, ConsoleSession.Password);
        Assert.Contains("id=\"disk-warning\"", await session.Client.GetStringAsync("/console"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_answers_ok_on_a_sound_node()
    {
        await using var app = await PlazaApp.StartAsync(Store.Sqlite);
        var client = app.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/healthz/ready"));
        Assert.Equal("ok", await client.GetStringAsync("/healthz/live"));
    }

    /// <summary>The value of the sample <paramref name="name"/> whose labels include <paramref name="label"/> (0 when absent).</summary>
    private static double Sample(string text, string name, string? label)
    {
        foreach (Match match in SampleLine().Matches(text))
        {
            if (match.Groups["name"].Value == name && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
