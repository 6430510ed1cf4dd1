namespace Plaza.Features.SignUp;

/// <summary>Opening a shop on this node by asking: an e-mailed code, then the operator's approval (off by default).</summary>
public static class SignUpSetup
{
    public static IServiceCollection AddSignUp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SignUps>();
        return services;
    }
}
