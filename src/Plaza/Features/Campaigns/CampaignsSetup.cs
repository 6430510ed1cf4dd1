using Plaza.Common;

namespace Plaza.Features.Campaigns;

/// <summary>Campaigns: customers and their roll-ups, RFM segments, campaigns sent against a hold-out, journeys (welcome, win-back, birthday), and their measured lift.</summary>
public static class CampaignsSetup
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Plaza:Campaigns").Get<CampaignOptions>() ?? new());
        services.AddSingleton<CampaignSender>().AddHostedService(sp => sp.GetRequiredService<CampaignSender>());
        services.AddCommand(CountCustomersCommand.Name, CountCustomersCommand.RunAsync);
        services.AddSingleton(configuration.GetSection("Plaza:Journeys").Get<JourneyOptions>() ?? new());
        services.AddSingleton<JourneyRunner>().AddHostedService(sp => sp.GetRequiredService<JourneyRunner>());
        return services;
    }
}
