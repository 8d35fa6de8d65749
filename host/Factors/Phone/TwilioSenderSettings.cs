using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>A tenant's Twilio account (<c>phone.twilio</c>): what <see cref="TwilioPhoneSender"/> sends with.</summary>
public sealed class TwilioSenderSettings
{
    /// <summary>The account SID (<c>AC</c> and 32 hexadecimal digits).</summary>
    public string? AccountSid { get; set; }

    /// <summary>
    /// The account's auth token: write-only. Given in a settings change, it is stored encrypted
    /// (<see cref="PhoneSenderSecrets"/>) and never read back; a change without it keeps the stored one.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthToken { get; set; }

    /// <summary>The number messages and calls come from (E.164). Calls need it.</summary>
    public string? From { get; set; }

    /// <summary>A messaging service SID (<c>MG</c>...), used for text messages instead of <see cref="From"/> when set.</summary>
    public string? MessagingServiceSid { get; set; }
}
