namespace Plaza.Features.Mail;

/// <summary>E-mail: an outbox written with what it tells of, sent over SMTP by a worker.</summary>
public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection("Plaza:Mail"));
        services.AddSingleton<MailWorker>();
        services.AddHostedService(s => s.GetRequiredService<MailWorker>());
        services.AddScoped<Outbox>();
        return services;
    }
}
