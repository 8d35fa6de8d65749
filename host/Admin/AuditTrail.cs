using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin;

/// <summary>
/// Records a change to a tenant's rules, configuration, settings or admins in the database (in the same unit of
/// work as the change, so neither is saved without the other) and as a structured audit event.
/// </summary>
public sealed class AuditTrail(RulesMfaDbContext database, TimeProvider clock, ILogger<AuditTrail> logger)
{
    /// <summary>Adds the record to the pending changes; the caller's <c>SaveChangesAsync</c> writes it with the change.</summary>
    public void Record(string tenantId, Actor actor, string action, string target, string? oldHash = null, string? newHash = null, string? detail = null)
    {
        database.Audit.Add(new AuditRecord
        {
            TenantId = tenantId, At = clock.GetUtcNow(), Actor = actor.Name, Action = action, Target = target,
            OldHash = oldHash, NewHash = newHash, Detail = detail,
        });
        logger.AdminChange(action, actor.Name, target, tenantId, oldHash, newHash, detail);
    }
}
