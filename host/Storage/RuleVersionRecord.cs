namespace RulesMfa.Host.Storage;

/// <summary>One saved version of a rule: immutable once written. A rollback writes a new version with an old source.</summary>
public sealed class RuleVersionRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string RuleId { get; set; }

    public int Version { get; set; }

    public required string Source { get; set; }

    public required string VersionHash { get; set; }

    public string? TestsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who saved it: <c>user:ID</c>, <c>client:ID</c> or <c>cli:OS-USER</c>.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>Saved although its tests failed.</summary>
    public bool Forced { get; set; }

    /// <summary>Why it was written, when not a plain save (for example "rollback to version 2").</summary>
    public string? Note { get; set; }
}
