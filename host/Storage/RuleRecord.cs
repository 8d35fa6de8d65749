namespace RulesMfa.Host.Storage;

/// <summary>One rule of a tenant, run in <see cref="Order"/> when enabled (Rules before Actions).</summary>
public sealed class RuleRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary>The rule's id, as a file name without <c>.js</c>; unique within the tenant.</summary>
    public required string RuleId { get; set; }

    public required string Source { get; set; }

    public int Order { get; set; }

    public bool Enabled { get; set; } = true;
}
