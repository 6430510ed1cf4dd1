using Microsoft.AspNetCore.Authentication.Cookies;
using Plaza.Common;

namespace Plaza.Features.Console;

public static class ConsoleSetup
{
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Accounts>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<ConsoleMember>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "plaza.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/console";
                o.LoginPath = "/console/sign-in";
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = Accounts.ValidateAsync;
                // Relative, like the console's other redirects: the handler's own would be built from the
                // request's scheme and Host, which behind a proxy are not the ones the browser used.
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.Redirect(new Uri(context.RedirectUri).PathAndQuery);
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorization();
        services.Configure<AutoRejectOptions>(configuration.GetSection("Plaza:Console"));
        services.AddHostedService<AutoReject>();
        services.AddCommand("create-shop", CreateShopCommand.RunAsync);
        return services;
    }

    public static WebApplication UseConsole(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<ConsoleAccessMiddleware>();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapGet("/console/{shop}/board/events", BoardEvents.Stream)
            .WithMetadata(new StaffOnlyAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
