namespace RulesMfa.Host.Storage;

/// <summary>
/// One rule of a tenant as deployed now, run in <see cref="Order"/> when enabled (Rules before Actions). Its
/// source and tests are those of version <see cref="Version"/>; every version is kept in <see cref="RuleVersionRecord"/>.
/// </summary>
public sealed class RuleRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary>The rule's id, as a file name without <c>.js</c>; unique within the tenant.</summary>
    public required string RuleId { get; set; }

    public required string Source { get; set; }

    public int Order { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The deployed version (1 for the first save); 0 for a rule seeded before versions existed.</summary>
    public int Version { get; set; }

    /// <summary><c>sha256:</c> of the source, as the decision's trace shows it.</summary>
    public string VersionHash { get; set; } = "";

    /// <summary>The rule's test cases (DESIGN's test-file shape without <c>rules</c>), or null.</summary>
    public string? TestsJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
