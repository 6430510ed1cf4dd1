using Plaza.Common;
using Plaza.Features.Federation;

namespace Plaza.Features.Moderation;

/// <summary>
/// Moderation: customers' reports and other servers' Flags for the operator, blocks of domains and
/// actors, the operator's console pages and command-line verbs.
/// </summary>
public static class ModerationSetup
{
    public static IServiceCollection AddModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<NodeModeration>();
        services.AddScoped<Reports>();
        services.AddScoped<ReportLimit>();
        services.AddHostedService<PendingFlags>();
        services.AddScoped<IInboxHandler, ModerationInbox>();
        foreach (var verb in ModerationCommands.Names)
        {
            services.AddCommand(verb, (provider, args, output, error) => ModerationCommands.RunAsync(provider, verb, args, output, error));
        }
        return services;
    }
}
