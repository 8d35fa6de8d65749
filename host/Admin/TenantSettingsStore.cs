using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// A tenant's MFA settings and sandbox limits: validated as a whole (the enabled factors against the factors this server
/// serves), saved and audited together.
/// </summary>
public sealed class TenantSettingsStore(RulesMfaDbContext database, AuditTrail audit, MfaFactors factors)
{
    public async Task<TenantSettings> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        TenantSettings.Parse((await database.Tenants.SingleAsync(tenant => tenant.Id == tenantId, cancellationToken)).SettingsJson);

    /// <summary>Replaces the settings; returns what is wrong (field and problem), or null when saved.</summary>
    public async Task<FieldError?> SaveAsync(string tenantId, TenantSettings settings, Actor actor, CancellationToken cancellationToken)
    {
        if (factors.ProblemWith(settings.EnabledFactors) is { } unserved)
        {
            return new FieldError("enabledFactors", unserved);
        }

        if (settings.Problem() is { } problem)
        {
            return problem;
        }

        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var oldJson = tenant.SettingsJson;
        tenant.SettingsJson = settings.ToJson();
        audit.Record(tenantId, actor, "settings.changed", "settings", RuleCompiler.VersionHashOf(oldJson), RuleCompiler.VersionHashOf(tenant.SettingsJson));
        await database.SaveChangesAsync(cancellationToken);
        return null;
    }
}
