using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// A part of the tenant settings that holds write-only secrets (a factor's provider credentials): they never enter the
/// settings' JSON, are stored encrypted elsewhere, and are never read back. <see cref="TenantSettingsStore"/> calls each
/// registered one before it saves.
/// </summary>
public interface IWriteOnlySettings
{
    /// <summary>
    /// Takes the secrets out of <paramref name="settings"/>: those given are stored (encrypted, audited) in the caller's unit
    /// of work, those not given keep their stored value. Returns what is wrong (a secret the settings need was never
    /// given), or null; on a problem nothing is staged.
    /// </summary>
    Task<FieldError?> KeepSecretsAsync(string tenantId, TenantSettings settings, Actor actor, CancellationToken cancellationToken);
}
