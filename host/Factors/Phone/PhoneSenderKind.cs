namespace RulesMfa.Host.Factors.Phone;

/// <summary>How a tenant's phone messages leave the server (<c>phone.sender</c> in the tenant settings).</summary>
public enum PhoneSenderKind
{
    /// <summary>Nothing leaves: each message is appended to an owner-only file in the data folder (development, demos).</summary>
    Outbox,

    /// <summary>Twilio's REST API, with the tenant's account.</summary>
    Twilio,

    /// <summary>A signed JSON <c>POST</c> to the tenant's own HTTPS gateway.</summary>
    Webhook,
}
