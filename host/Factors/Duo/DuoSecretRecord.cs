namespace RulesMfa.Host.Factors.Duo;

/// <summary>A tenant's Duo secret key, encrypted with Data Protection.</summary>
public sealed class DuoSecretRecord
{
    public required string TenantId { get; set; }

    /// <summary>The protected secret key; never returned by any API.</summary>
    public required string Protected { get; set; }
}
