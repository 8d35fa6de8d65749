using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// A tenant's enabled rules as a pipeline, with its configuration, fail mode and limits (within the server's maximums).
/// Scripts are parsed once (cached by hash, in the tenant's share of the cache); the logins' pipeline is built once per
/// rule set, configuration and settings (<see cref="PipelineCache"/>).
/// </summary>
public sealed class TenantRules(
    RulesMfaDbContext database, TenantConfiguration configuration, RuleCircuitBreaker circuitBreaker, PipelineCache pipelines,
    RuleCompiler compiler, SandboxMaximums maximums, TimeProvider clock)
{
    /// <summary>The tenant's deployed rules (enabled, in order), on the server's clock.</summary>
    public async Task<(RulePipeline Pipeline, TenantSettings Settings)> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        await LoadAsync(tenantId, await DeployedAsync(tenantId, cancellationToken), clock, forLogins: true, cancellationToken);

    /// <summary>
    /// A pipeline of <paramref name="sources"/> with the tenant's configuration, fail mode and limits: the console
    /// runs drafts through this, logins the deployed rules, so both get the same engine and settings. Only logins
    /// count towards a rule's circuit breaker: trying a hostile draft in the console must not suspend the live rule.
    /// </summary>
    /// <exception cref="RuleCompilationException">A rule does not compile.</exception>
    public async Task<(RulePipeline Pipeline, TenantSettings Settings)> LoadAsync(
        string tenantId, IReadOnlyList<RuleSource> sources, TimeProvider rulesClock, bool forLogins, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var settings = maximums.Effective(tenant.SettingsJson);
        RulePipeline Build() => new(compiler.For(tenantId).CompileAll(sources), new RulePipelineSettings
        {
            Configuration = configuration.ValuesOf(tenant),
            FailMode = settings.FailMode,
            Limits = settings.Limits,
            Domain = tenantId,
            CircuitBreaker = forLogins ? circuitBreaker : null,
        }, rulesClock);

        var pipeline = forLogins ? pipelines.GetOrBuild(tenantId, PipelineCache.Fingerprint(sources, tenant.ConfigurationJson, tenant.SettingsJson), Build) : Build();
        return (pipeline, settings);
    }

    /// <summary>The enabled rules in the order logins run them.</summary>
    public async Task<IReadOnlyList<RuleSource>> DeployedAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rules = await database.Rules.Where(rule => rule.TenantId == tenantId && rule.Enabled)
            .OrderBy(rule => rule.Order).ThenBy(rule => rule.RuleId).ToListAsync(cancellationToken);
        return rules.Select(rule => RuleSource.Inline(rule.RuleId, rule.Source)).ToList();
    }
}
