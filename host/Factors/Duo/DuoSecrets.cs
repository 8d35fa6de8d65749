using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// A tenant's Duo secret key: a write-only field of the settings, kept out of the settings' JSON and stored encrypted with
/// Data Protection (<see cref="DuoSecretRecord"/>), as the rules' secret configuration is. No API reads it back; a change
/// records that it was set, never its value.
/// </summary>
public sealed class DuoSecrets(RulesMfaDbContext database, IDataProtectionProvider protection, AuditTrail audit) : IWriteOnlySettings
{
    /// <summary>The length of Duo's client secret.</summary>
    public const int SecretLength = 40;

    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.DuoSecrets.v1");

    /// <summary>The tenant's secret key; null when none was ever set.</summary>
    public async Task<string?> ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var record = await database.Set<DuoSecretRecord>().AsNoTracking().SingleOrDefaultAsync(secret => secret.TenantId == tenantId, cancellationToken);
        return record is null ? null : protector.Unprotect(record.Protected);
    }

    public async Task<FieldError?> KeepSecretsAsync(string tenantId, TenantSettings settings, Actor actor, CancellationToken cancellationToken)
    {
        var given = settings.Duo.SecretKey;
        settings.Duo.SecretKey = null;
        if (given is not null && given.Length != SecretLength)
        {
            return new FieldError("duo.secretKey", $"must be Duo's secret key (client secret): {SecretLength} characters");
        }

        var stored = await database.Set<DuoSecretRecord>().SingleOrDefaultAsync(secret => secret.TenantId == tenantId, cancellationToken);
        if (given is null)
        {
            return stored is null && settings.EnabledFactors.Contains(FactorType.Duo)
                ? new FieldError("duo.secretKey", "is required while duo is enabled (it is write-only: give it once, it is kept)")
                : null;
        }

        var protectedKey = protector.Protect(given);
        if (stored is null)
        {
            database.Add(new DuoSecretRecord { TenantId = tenantId, Protected = protectedKey });
        }
        else
        {
            stored.Protected = protectedKey;
        }

        audit.Record(tenantId, actor, "settings.secret-set", "duo.secretKey", detail: "write-only value set");
        return null;
    }
}
