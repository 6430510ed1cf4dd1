namespace Plaza.Features.Campaigns;

/// <summary>Campaigns: customers and their roll-ups, RFM segments, campaigns sent against a hold-out, and their measured lift.</summary>
public static class CampaignsSetup
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Plaza:Campaigns").Get<CampaignOptions>() ?? new());
        services.AddSingleton<CampaignSender>().AddHostedService(sp => sp.GetRequiredService<CampaignSender>());
        return services;
    }
}
