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
    /// <summary>
    /// The tenant's deployed rules (enabled, in order), on the server's clock, with the real configuration. A login finds
    /// the cached pipeline by the rules' stored version hashes (written with each source by <see cref="RuleStore"/>) and
    /// reads their sources only to build a new one; rules stored without a hash (seeded by hand) are read every time.
    /// </summary>
    public async Task<TenantPipeline> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var versions = (await Deployed(tenantId).Select(rule => new { rule.Order, rule.RuleId, rule.VersionHash }).ToListAsync(cancellationToken))
            .InRunOrder(rule => rule.Order, rule => rule.RuleId);
        if (versions.All(rule => rule.VersionHash.Length > 0))
        {
            var stored = await database.Tenants.Where(record => record.Id == tenantId)
                .Select(record => new { record.ConfigurationJson, record.SettingsJson }).SingleAsync(cancellationToken);
            var fingerprint = PipelineCache.Fingerprint(versions.Select(rule => (rule.RuleId, rule.VersionHash)), stored.ConfigurationJson, stored.SettingsJson);
            if (pipelines.TryGet(tenantId, fingerprint, out var cached))
            {
                return cached;
            }
        }

        return await LoadAsync(tenantId, await DeployedAsync(tenantId, cancellationToken), clock, forLogins: true, cancellationToken);
    }

    /// <summary>
    /// A pipeline of <paramref name="sources"/> with the tenant's configuration, fail mode and limits: the console
    /// runs drafts through this, logins the deployed rules, so both get the same engine and settings. Only logins
    /// count towards a rule's circuit breaker: trying a hostile draft in the console must not suspend the live rule.
    /// Only logins see the values of secrets: other runs see <see cref="TenantConfiguration.Placeholder"/> instead, unless
    /// <paramref name="ownConfiguration"/> (values the run brings, over the tenant's) names them.
    /// </summary>
    /// <exception cref="RuleCompilationException">A rule does not compile.</exception>
    public async Task<TenantPipeline> LoadAsync(
        string tenantId, IReadOnlyList<RuleSource> sources, TimeProvider rulesClock, bool forLogins, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? ownConfiguration = null)
    {
        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var settings = maximums.Effective(tenant.SettingsJson);
        TenantPipeline Build()
        {
            var values = forLogins ? configuration.ValuesOf(tenant) : ForRun(configuration.ValuesForRuns(tenant), ownConfiguration);
            var pipeline = new RulePipeline(compiler.For(tenantId).CompileAll(sources), new RulePipelineSettings
            {
                Configuration = values,
                FailMode = settings.FailMode,
                Limits = settings.Limits,
                FreshEnginePerLogin = settings.FreshEnginePerLogin,
                Domain = tenantId,
                CircuitBreaker = forLogins ? circuitBreaker : null,
            }, rulesClock);
            return new TenantPipeline(pipeline, settings, configuration.SecretsOf(tenant));
        }

        return forLogins ? pipelines.GetOrBuild(tenantId, PipelineCache.Fingerprint(sources, tenant.ConfigurationJson, tenant.SettingsJson), Build) : Build();
    }

    private static Dictionary<string, string> ForRun(IReadOnlyDictionary<string, string> tenantValues, IReadOnlyDictionary<string, string>? ownValues)
    {
        var values = new Dictionary<string, string>(tenantValues, StringComparer.Ordinal);
        foreach (var (name, value) in ownValues ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        return values;
    }

    /// <summary>The enabled rules in the order logins run them.</summary>
    public async Task<IReadOnlyList<RuleSource>> DeployedAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rules = (await Deployed(tenantId).Select(rule => new { rule.Order, rule.RuleId, rule.Source }).ToListAsync(cancellationToken))
            .InRunOrder(rule => rule.Order, rule => rule.RuleId);
        return rules.Select(rule => RuleSource.Inline(rule.RuleId, rule.Source)).ToList();
    }

    private IQueryable<RuleRecord> Deployed(string tenantId) => database.Rules.Where(rule => rule.TenantId == tenantId && rule.Enabled);
}
