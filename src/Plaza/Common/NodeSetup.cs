using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.WebEncoders;
using Microsoft.EntityFrameworkCore;

namespace Plaza.Common;

/// <summary>The node's cross-cutting parts: its public origin and proxies, cookies, errors, JSON, limits, compression, languages, health.</summary>
public static class NodeSetup
{
    public static readonly CultureInfo[] Languages = [new("en"), new("zh-Hans")];

    public static IServiceCollection AddPlazaCommon(this IServiceCollection services, IConfiguration configuration)
    {
        var publicOrigin = PublicOrigin.From(configuration);
        services.AddSingleton(publicOrigin);
        services.AddTrustedProxies(configuration);
        // Every cookie (sign-in, antiforgery, TempData) is Secure when browsers come over https, even
        // when the node itself is spoken to in plain http by its proxy.
        services.Configure<CookiePolicyOptions>(o => o.Secure = publicOrigin.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics().AddSingleton<PlazaMetrics>();
        services.AddScoped<ShopScope>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Localise);
        services.AddExceptionHandler<UnhandledExceptionToProblem>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Plaza node API";
            document.Info.Description = "Menus, orders and live order status of the shops on this Plaza node. Errors are RFC 9457 problem details.";
            // Without servers a client resolves paths against the document's own URL (OpenAPI 3.1, servers
            // defaults to "/"). The generator would name the origin of whichever request asked, which behind a
            // proxy or under another name is not the node's, and would differ in every committed copy.
            document.Servers = null;
            return Task.CompletedTask;
        }));
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "application/manifest+json"]);
        });
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Razor would otherwise escape every non-Latin character (营 → &#x8425;), tripling Chinese pages.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        var ordersPerMinute = configuration.GetValue("Plaza:RateLimits:OrdersPerMinute", 30);
        var signInsPerMinute = configuration.GetValue("Plaza:RateLimits:SignInsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Problems.Make(StatusCodes.Status429TooManyRequests, "rate-limited",
                    Text.Say("Too many attempts from this device; wait a minute and try again.")).ExecuteAsync(context.HttpContext);
            };
            // Per client address: a person orders a few times an hour, a script hundreds of times.
            o.AddPolicy("orders", http => RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = ordersPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Sign-in and invitation forms: slows password guessing from one address; lockout covers one account.
            o.AddPolicy("sign-in", http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("get"));
        });
        return services;
    }

    /// <summary>
    /// The client a limit counts: the connection's address, or the one a trusted proxy forwarded
    /// (<see cref="TrustedProxies"/> runs first). Never a forwarded header read here, which anyone can send.
    /// </summary>
    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static WebApplication UsePlazaCommon(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        // Sent on https requests only (a trusted proxy's X-Forwarded-Proto counts); not in Development,
        // where a browser would remember it for the developer's own host for a month.
        if (app.Services.GetRequiredService<PublicOrigin>().IsHttps && !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseCookiePolicy();
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = s =>
            {
                // Versioned URLs (?v=hash) may be cached for a year; the rest revalidates.
                s.Context.Response.Headers.CacheControl = s.Context.Request.Query.ContainsKey("v")
                    ? "public, max-age=31536000, immutable"
                    : "public, max-age=3600";
            },
        });
        app.UseRouting();
        app.UseMiddleware<ShopScopeMiddleware>();
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture("en");
            o.SupportedCultures = Languages;
            o.SupportedUICultures = Languages;
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;
            o.RequestCultureProviders.Insert(0, new PrintedLanguage());
            o.RequestCultureProviders.Insert(o.RequestCultureProviders.Count, new ShopDefaultLanguage());
        });
        app.Use(ShopScopeMiddleware.RefuseUnknownShop);
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The node's own description: OpenAPI (health and metrics are the operations feature's).</summary>
    public static WebApplication MapPlazaCommon(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>
    /// Which process answered: <c>Plaza:Instance</c> when set (a name per process where several serve one store), else an id
    /// made at start. A health check that reaches a port another process has taken over tells by it.
    /// </summary>
    public const string InstanceHeader = "Plaza-Instance";

    /// <summary>
    /// A printed page (<see cref="PrintedAttribute"/>) speaks to the shop's customers, not to whoever prints it: the
    /// shop's language, or the one the owner picks with <c>?language=en</c> or <c>?language=zh-Hans</c>.
    /// </summary>
    private sealed class PrintedLanguage : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            if (httpContext.GetEndpoint()?.Metadata.GetMetadata<PrintedAttribute>() is null)
            {
                return Task.FromResult<ProviderCultureResult?>(null);
            }
            var language = httpContext.Request.Query["language"].ToString();
            var shop = httpContext.RequestServices.GetRequiredService<ShopScope>().Shop;
            return Task.FromResult<ProviderCultureResult?>(language is "en" or "zh-Hans" ? new(language)
                : shop is null ? null : new(shop.DefaultLanguage));
        }
    }

    /// <summary>When the browser asks for no language we ship, a shop's pages speak its default language.</summary>
    private sealed class ShopDefaultLanguage : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var shop = httpContext.RequestServices.GetRequiredService<ShopScope>().Shop;
            return Task.FromResult(shop is null ? null : new ProviderCultureResult(shop.DefaultLanguage));
        }
    }
}
