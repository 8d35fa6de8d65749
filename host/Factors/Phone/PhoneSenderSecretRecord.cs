namespace RulesMfa.Host.Factors.Phone;

/// <summary>A tenant's phone sender secrets (the Twilio auth token, the webhook key), encrypted with Data Protection as one document.</summary>
public sealed class PhoneSenderSecretRecord
{
    public required string TenantId { get; set; }

    /// <summary>The protected JSON of the secrets; never returned by any API.</summary>
    public required string Protected { get; set; }
}
