using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>A tenant's enabled rules as a pipeline, with its configuration and fail mode. Scripts are parsed once (cached by hash).</summary>
public sealed class TenantRules(RulesMfaDbContext database, RuleCircuitBreaker circuitBreaker, TimeProvider clock)
{
    public async Task<(RulePipeline Pipeline, TenantSettings Settings)> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var rules = await database.Rules.Where(rule => rule.TenantId == tenantId && rule.Enabled)
            .OrderBy(rule => rule.Order).ThenBy(rule => rule.RuleId).ToListAsync(cancellationToken);
        var settings = TenantSettings.Parse(tenant.SettingsJson);
        var compiled = rules.Select(rule => RuleCompiler.Shared.Compile(RuleSource.Inline(rule.RuleId, rule.Source)));
        var pipelineSettings = new RulePipelineSettings
        {
            Configuration = JsonSerializer.Deserialize<Dictionary<string, string>>(tenant.ConfigurationJson) ?? [],
            FailMode = settings.FailMode,
            Domain = tenantId,
            CircuitBreaker = circuitBreaker,
        };
        return (new RulePipeline(compiled, pipelineSettings, clock), settings);
    }
}
