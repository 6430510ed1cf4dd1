using Plaza.Features.Campaigns;
using Plaza.Features.Loyalty;

namespace Plaza.Features.Members;

/// <summary>Customers the shop owns: joining by e-mail code or passkey, the member page, orders that know their member (with loyalty and campaigns, which build on them).</summary>
public static class MembersSetup
{
    public static IServiceCollection AddMembers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Members>().AddScoped<MemberNotices>().AddScoped<Passkeys>().AddLoyalty(configuration).AddCampaigns(configuration);
        services.AddAuthentication().AddCookie(Members.Scheme, o =>
        {
            // One cookie for the node's storefronts and the order API the checkout calls; it holds only memberships
            // (shop, member, stamp), is set only by the member pages, and is read only where a member matters.
            o.Cookie.Name = Members.CookieName;
            o.Cookie.Path = "/";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromDays(365);
            o.SlidingExpiration = false;
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>The passkey ceremonies and the members' API (points, balance, coupons, refunds); the member pages themselves are Razor pages, mapped with the storefront's.</summary>
    public static WebApplication MapMembers(this WebApplication app)
    {
        app.MapPasskeys().MapLoyalty();
        return app;
    }
}
