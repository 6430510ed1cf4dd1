using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Console;
using Plaza.Features.Nearby;
using Plaza.Features.Federation;
using Plaza.Features.Hubs;
using Plaza.Features.Moderation;
using Plaza.Features.Ordering;
using Plaza.Features.Sales;
using Plaza.Features.Storefront;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddPlazaCommon(builder.Configuration)
    .AddPlazaData(builder.Configuration)
    .AddOrdering(builder.Configuration)
    .AddStorefront(builder.Configuration)
    .AddConsole(builder.Configuration)
    .AddFederation(builder.Configuration)
    .AddNearby(builder.Configuration);

var app = builder.Build();

await DataSetup.MigrateAsync(app.Services);
if (args is ["create-shop", ..])
{
    return await CreateShopCommand.RunAsync(app.Services, args[1..]);
}
if (args is [var command, ..] && ModerationCommands.Names.Contains(command))
{
    return await ModerationCommands.RunAsync(app.Services, command, args[1..], Console.Out, Console.Error);
}
if (args is [var directoryCommand, ..] && DirectoryCommands.Names.Contains(directoryCommand))
{
    return await DirectoryCommands.RunAsync(app.Services, directoryCommand, args[1..], Console.Out, Console.Error);
}
if (DemoShop.IsWanted(app.Environment, app.Configuration))
{
    await DemoShop.SeedAsync(app.Services);
}

app.UsePlazaCommon();
app.UseConsole();
app.UseStorefront();
app.MapHealth();
app.MapOpenApi("/openapi/{documentName}.json");
var shopApi = app.MapGroup("/api/v1/shops/{shop}").WithMetadata(new ShopScopedAttribute()).WithTags("Shops");
shopApi.MapCatalogApi();
shopApi.MapOrdersApi();
shopApi.MapSalesApi();
app.MapStorefront();
app.MapConsole();
app.MapNearby();
app.MapFederation();
app.MapHubs();

await app.RunAsync();
return 0;

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
