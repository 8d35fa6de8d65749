using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// A tenant's MFA settings and sandbox limits: validated as a whole (the enabled factors against the factors this server
/// serves, the limits within the server's maximums), saved and audited together.
/// </summary>
public sealed class TenantSettingsStore(
    RulesMfaDbContext database, AuditTrail audit, SandboxMaximums maximums, MfaFactors factors, IEnumerable<IWriteOnlySettings> secrets)
{
    /// <summary>The settings as they run: a stored limit above the server's maximum (lowered since) reads as the maximum.</summary>
    public async Task<TenantSettings> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        maximums.Effective((await database.Tenants.SingleAsync(tenant => tenant.Id == tenantId, cancellationToken)).SettingsJson);

    /// <summary>Replaces the settings; returns what is wrong (field and problem), or null when saved.</summary>
    public async Task<FieldError?> SaveAsync(string tenantId, TenantSettings settings, Actor actor, CancellationToken cancellationToken)
    {
        // Before the factor registry looks them up: a null (the JSON null of an element) would reach its dictionary.
        if (settings.EnabledFactors.Contains(null!))
        {
            return new FieldError("enabledFactors", $"name one or more of {string.Join(", ", FactorType.All)}");
        }

        if (factors.ProblemWith(settings.EnabledFactors) is { } unserved)
        {
            return new FieldError("enabledFactors", unserved);
        }

        if ((settings.Problem() ?? maximums.Problem(settings.Limits)) is { } problem)
        {
            return problem;
        }

        foreach (var part in secrets)
        {
            if (await part.KeepSecretsAsync(tenantId, settings, actor, cancellationToken) is { } missing)
            {
                return missing;
            }
        }

        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var oldJson = tenant.SettingsJson;
        tenant.SettingsJson = settings.ToJson();
        audit.Record(tenantId, actor, "settings.changed", "settings", RuleCompiler.VersionHashOf(oldJson), RuleCompiler.VersionHashOf(tenant.SettingsJson));
        await database.SaveChangesAsync(cancellationToken);
        return null;
    }
}
