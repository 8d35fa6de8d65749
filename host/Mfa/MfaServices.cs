namespace RulesMfa.Host.Mfa;

/// <summary>Registers the factors the MFA pages use.</summary>
public static class MfaServices
{
    public static IServiceCollection AddRulesMfaFactors(this IServiceCollection services)
    {
        services.AddScoped<TotpService>();
        services.AddScoped<RecoveryCodeService>();
        services.AddScoped<RememberedBrowsers>();
        services.AddScoped<CodeAttempts>();
        return services;
    }
}
