using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>A tenant's own gateway (<c>phone.webhook</c>): what <see cref="WebhookPhoneSender"/> posts to.</summary>
public sealed class WebhookSenderSettings
{
    /// <summary>The gateway's HTTPS URL.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The key of the <c>X-RulesMfa-Signature</c> HMAC, at least 32 characters: write-only. Given in a settings change, it
    /// is stored encrypted (<see cref="PhoneSenderSecrets"/>) and never read back; a change without it keeps the stored one.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; set; }
}
