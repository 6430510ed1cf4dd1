using Plaza.Common;
using Plaza.Data;
using Plaza.Features.Catalog;
using Plaza.Features.Channels;
using Plaza.Features.Console;
using Plaza.Features.Federation;
using Plaza.Features.Follows;
using Plaza.Features.Mail;
using Plaza.Features.Members;
using Plaza.Features.Hubs;
using Plaza.Features.Moderation;
using Plaza.Features.Nearby;
using Plaza.Features.Notifications;
using Plaza.Features.Operations;
using Plaza.Features.Ordering;
using Plaza.Features.Printing;
using Plaza.Features.Promotions;
using Plaza.Features.Sales;
using Plaza.Features.SignUp;
using Plaza.Features.Storefront;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
builder.Services.AddPlazaCommon(config).AddPlazaData(config)
    .AddCatalog(config).AddChannels(config).AddStorefront(config).AddOrdering(config).AddConsole(config).AddNotifications(config).AddPrinting(config).AddMail(config).AddSignUp(config).AddMembers(config).AddOperations(config)
    // Hubs before follows before nearby: the order their inbox handlers are asked in.
    .AddFederation(config).AddHubs(config).AddFollows(config).AddPromotions(config).AddModeration(config).AddNearby(config);
var app = builder.Build();
if (await CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}
// The store gets ready (EF Core's model, migrations, the demo) on one core while the routes are built on the other.
var storeReady = Task.Run(async () => { await DataSetup.MigrateAsync(app.Services); await DemoShop.SeedIfWantedAsync(app); });
app.UsePlazaCommon().UseStorefront().UseConsole();
app.MapPlazaCommon().MapOperations().MapCatalog().MapChannels().MapStorefront().MapMembers().MapOrdering().MapSales().MapConsole().MapNotifications()
    .MapFederation().MapHubs().MapFollows().MapPromotions().MapNearby();
await storeReady;
await app.RunAsync();
return 0;
public partial class Program; // visible to the test host (WebApplicationFactory)
