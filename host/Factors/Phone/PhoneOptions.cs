using System.ComponentModel.DataAnnotations;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>The operator's settings of the phone factor, bound from the <c>Phone</c> section and validated at start.</summary>
public sealed class PhoneOptions
{
    /// <summary>The configuration section: <c>Phone</c>.</summary>
    public const string SectionName = "Phone";

    /// <summary>
    /// The outbox file of tenants whose sender is <c>outbox</c>; a relative path is under the data folder. Default null:
    /// <c>phone-outbox.txt</c> in the data folder (<see cref="OutboxPhoneSender.DefaultFileName"/>).
    /// </summary>
    public string? OutboxPath { get; set; }

    /// <summary>
    /// How long one attempt to hand a message to Twilio or a tenant's webhook may take, in seconds (1 to 30). Default 5. A
    /// webhook gets one retry after a failure (a 5xx, 408 or 429 answer, a timeout, a refused connection).
    /// </summary>
    [Range(1, 30)]
    public int SendTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Whether a tenant's webhook may be on a loopback, private, link-local or otherwise internal address. Default false:
    /// tenant admins choose the URL, so the server refuses to post into its own network for them (the address is checked
    /// when connecting, after DNS, so a name that resolves inside is refused too). Set it only when every tenant is trusted.
    /// </summary>
    public bool AllowPrivateNetworkWebhooks { get; set; }
}
