using RulesMfa.Host.Factors;

namespace RulesMfa.Host.Mfa;

/// <summary>Registers the factors the MFA pages use.</summary>
public static class MfaServices
{
    public static IServiceCollection AddRulesMfaFactors(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        services.AddRulesMfaEmail(configuration, dataFolder);
        services.AddScoped<EnrolledFactors>();
        services.AddSingleton<MfaStart>();
        services.AddScoped<FactorAddedNotice>();
        services.AddMfaFactors();
        services.AddScoped<RememberedBrowsers>();
        services.AddSingleton<RememberedBrowserCookie>();
        services.AddScoped<CodeAttempts>();
        return services;
    }
}
