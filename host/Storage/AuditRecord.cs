namespace RulesMfa.Host.Storage;

/// <summary>One change to a tenant's rules, configuration, settings or admins: who, when, what, and the hashes before and after.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary><c>user:ID</c>, <c>client:ID</c> or <c>cli:OS-USER</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What happened, for example <c>rule.saved</c>, <c>rule.forced</c>, <c>configuration.changed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What it happened to: a rule id, a configuration key, <c>settings</c>, a user id.</summary>
    public required string Target { get; set; }

    public string? OldHash { get; set; }

    public string? NewHash { get; set; }

    /// <summary>A short human-readable detail; never a secret value.</summary>
    public string? Detail { get; set; }
}
