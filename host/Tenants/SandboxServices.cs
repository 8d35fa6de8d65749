using Microsoft.Extensions.Options;
using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Admission;

namespace RulesMfa.Host.Tenants;

/// <summary>Registers the operator's bounds on every tenant's rules (<see cref="SandboxServerOptions"/>) and what enforces them.</summary>
public static class SandboxServices
{
    public static IServiceCollection AddSandboxBounds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxServerOptions>().Bind(configuration.GetSection(SandboxServerOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new SandboxMaximums(Options(provider).Maximums));
        services.AddSingleton(provider => new RuleCompiler(Options(provider).CompileCacheBytes, Options(provider).CompileCacheBytesPerTenant));
        services.AddSingleton<EvaluationAdmission>();
        return services;
    }

    private static SandboxServerOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<SandboxServerOptions>>().Value;
}
