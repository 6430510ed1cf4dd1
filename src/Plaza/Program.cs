using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Ordering;
using Plaza.Features.Storefront;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddPlazaCommon(builder.Configuration)
    .AddPlazaData(builder.Configuration)
    .AddOrdering()
    .AddStorefront();

var app = builder.Build();

await DataSetup.MigrateAsync(app.Services);
await DemoShop.SeedAsync(app.Services);

app.UsePlazaCommon();
app.MapHealth();
app.MapOpenApi("/openapi/{documentName}.json");
var shopApi = app.MapGroup("/api/v1/shops/{shop}").WithMetadata(new ShopScopedAttribute()).WithTags("Shops");
shopApi.MapCatalogApi();
shopApi.MapOrdersApi();
app.MapStorefront();

app.Run();

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
