using OpenTelemetry.Metrics;

namespace RulesMfa.Host.Telemetry;

/// <summary>
/// Metrics through OpenTelemetry, exported for Prometheus on <see cref="Path"/>, only when <c>Metrics:Enabled</c> is true
/// (default false: then nothing listens and <see cref="Path"/> is not found). Exports ASP.NET Core's request metrics and
/// <see cref="RulesMfaMetrics"/>.
/// </summary>
internal static class MetricsServices
{
    public const string Path = "/metrics";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("Metrics:Enabled", defaultValue: false);

    public static IServiceCollection AddRulesMfaMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (Enabled(configuration))
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(RulesMfaMetrics.MeterName)
                .AddPrometheusExporter());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapRulesMfaMetrics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (Enabled(configuration))
        {
            endpoints.MapPrometheusScrapingEndpoint(Path);
        }

        return endpoints;
    }
}
