using System.Text;
using Plaza.Bench.Ceiling;

// The machine's ceiling for Plaza's benchmarks: the least an ASP.NET Core app can do per request.
// No middleware, no logging per request, so every Plaza figure divided by this one says how much of
// the machine Plaza's own work costs. With --Sqlite=<file> or --Postgres=<connection string> it also
// stores orders durably (POST /order), the way a minimal program would: see DurableOrders.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var store = DurableOrders.From(builder.Configuration);
if (store is not null)
{
    builder.Services.AddSingleton(store);
    builder.Services.AddHostedService(services => services.GetRequiredService<DurableOrders>());
}
var app = builder.Build();

var page = Encoding.UTF8.GetBytes(FixedPage(20 * 1024));
app.MapGet("/page", () => Results.Bytes(page, "text/html; charset=utf-8"));
app.MapGet("/json", () => Results.Text("""{"ok":true}""", "application/json"));
if (store is not null)
{
    app.MapPost("/order", async (HttpRequest request) =>
    {
        // The body is read, as a real endpoint must, but not parsed: the row set is always the same shape.
        await request.Body.CopyToAsync(Stream.Null);
        var number = await store.StoreAsync();
        return Results.Text($$"""{"number":{{number}}}""", "application/json", statusCode: 201);
    });
}

app.Run();

// A 20 KB page shaped like a menu (headings, list items, prices), so it is not one repeated byte.
static string FixedPage(int size)
{
    var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceiling</title></head><body><main>");
    for (var n = 0; html.Length < size - 32; n++)
    {
        html.Append("<section><h2>Item ").Append(n).Append("</h2><p>A fixed description of a menu item.</p><span>€3.")
            .Append(n % 100).Append("</span></section>\n");
    }
    html.Append("</main></body></html>");
    return html.ToString().PadRight(size, ' ')[..size];
}
