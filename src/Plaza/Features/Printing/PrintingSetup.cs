namespace Plaza.Features.Printing;

/// <summary>Kitchen tickets and receipts: network printers per shop (ESC/POS on port 9100), a durable print queue, and browser-printed pages.</summary>
public static class PrintingSetup
{
    public static IServiceCollection AddPrinting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrintingOptions>(configuration.GetSection("Plaza:Printing"));
        services.AddSingleton<PrintWorker>().AddHostedService(s => s.GetRequiredService<PrintWorker>());
        return services;
    }
}
