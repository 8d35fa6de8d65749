using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesMfa.Host.Factors.Email;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Factors.Push;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Factors.Totp;
using RulesMfa.Host.Factors.WebAuthn;

namespace RulesMfa.Host.Factors;

/// <summary>The factors this server serves: one line each.</summary>
public static class FactorRegistration
{
    /// <summary>Registers every factor; the server and the CLI call this.</summary>
    public static IServiceCollection AddMfaFactors(this IServiceCollection services) => services
        .AddMfaFactor<OtpFactor>()
        .AddMfaFactor<PhoneFactor>()
        .AddMfaFactor<EmailFactor>()
        .AddMfaFactor<RecoveryCodeFactor>()
        .AddMfaFactor<SecurityKeyFactor>()
        .AddMfaFactor<DeviceBiometricsFactor>()
        .AddMfaFactor<PushFactor>();

    /// <summary>Maps the endpoints of the factors that have some (<see cref="IFactorEndpoints"/>); the server calls this.</summary>
    public static void MapFactorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var factor in endpoints.ServiceProvider.GetRequiredService<MfaFactors>().All.OfType<IFactorEndpoints>())
        {
            factor.MapEndpoints(endpoints);
        }
    }

    /// <summary>Registers one factor and the services it brings (<see cref="IFactorServices.AddServices"/>).</summary>
    public static IServiceCollection AddMfaFactor<T>(this IServiceCollection services)
        where T : class, IMfaFactor, IFactorServices
    {
        services.AddSingleton<IMfaFactor, T>();
        T.AddServices(services);
        services.TryAddSingleton<MfaFactors>();
        return services;
    }
}
