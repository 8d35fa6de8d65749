using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>A tenant's phone factor (<c>phone</c> in the tenant settings): channels, numbers, messages and how they are sent.</summary>
public sealed class PhoneSettings
{
    /// <summary>
    /// The channels users may receive codes by: <c>sms</c>, <c>voice</c> or both (then the user picks on the page).
    /// Default <c>["sms"]</c>.
    /// </summary>
    public List<PhoneChannel> MessageTypes { get; set; } = [PhoneChannel.Sms];

    /// <summary>
    /// The region (ISO 3166 alpha-2, such as <c>US</c>) of numbers typed without a <c>+</c> and country code. Default
    /// null: users type their number with its country code.
    /// </summary>
    public string? DefaultRegion { get; set; }

    /// <summary>The Liquid template of the code that confirms a new number. Default Auth0's (<see cref="PhoneTemplates.DefaultEnrollmentMessage"/>).</summary>
    public string EnrollmentMessage { get; set; } = PhoneTemplates.DefaultEnrollmentMessage;

    /// <summary>The Liquid template of a sign-in code. Default Auth0's (<see cref="PhoneTemplates.DefaultVerificationMessage"/>).</summary>
    public string VerificationMessage { get; set; } = PhoneTemplates.DefaultVerificationMessage;

    /// <summary>How messages leave: <c>outbox</c> (default), <c>twilio</c> or <c>webhook</c>.</summary>
    public PhoneSenderKind Sender { get; set; } = PhoneSenderKind.Outbox;

    /// <summary>The Twilio account, for <see cref="PhoneSenderKind.Twilio"/>.</summary>
    public TwilioSenderSettings Twilio { get; set; } = new();

    /// <summary>The tenant's gateway, for <see cref="PhoneSenderKind.Webhook"/>.</summary>
    public WebhookSenderSettings Webhook { get; set; } = new();

    /// <summary>What is wrong with these settings (the field under <c>phone.</c>, the problem, the template's line), or null.</summary>
    public FieldError? Problem()
    {
        if (MessageTypes.Count == 0 || !MessageTypes.All(Enum.IsDefined))
        {
            return Field("messageTypes", "name sms, voice or both");
        }

        if (DefaultRegion is not null && !E164Numbers.IsRegion(DefaultRegion))
        {
            return Field("defaultRegion", "must be a region code such as US or GB");
        }

        foreach (var (name, template) in new[] { ("enrollmentMessage", EnrollmentMessage), ("verificationMessage", VerificationMessage) })
        {
            if (PhoneTemplates.Problem(template) is { } problem)
            {
                return new FieldError($"phone.{name}", problem.Message, problem.Line, problem.Column);
            }
        }

        return Sender switch
        {
            PhoneSenderKind.Outbox => null,
            PhoneSenderKind.Twilio => TwilioProblem(),
            PhoneSenderKind.Webhook => WebhookProblem(),
            _ => Field("sender", "must be outbox, twilio or webhook"),
        };
    }

    /// <summary>The channels to offer when the rules prefer <paramref name="preferredMethod"/> (<c>sms</c>, <c>voice</c> or <c>both</c>): the preferred ones this tenant allows, else all it allows.</summary>
    public IReadOnlyList<PhoneChannel> ChannelsFor(string? preferredMethod)
    {
        var allowed = MessageTypes.Distinct().Order().ToList();
        var preferred = preferredMethod switch
        {
            "sms" => allowed.Where(channel => channel == PhoneChannel.Sms).ToList(),
            "voice" => allowed.Where(channel => channel == PhoneChannel.Voice).ToList(),
            _ => allowed,
        };
        return preferred.Count > 0 ? preferred : allowed;
    }

    private FieldError? TwilioProblem()
    {
        if (Twilio.AccountSid is not { Length: 34 } sid || !sid.StartsWith("AC", StringComparison.Ordinal) || !sid[2..].All(char.IsAsciiHexDigit))
        {
            return Field("twilio.accountSid", "must be your Twilio account SID: AC and 32 hexadecimal digits");
        }

        if (Twilio.AuthToken is { } token && (token.Length is < 16 or > 256 || token.Any(char.IsWhiteSpace)))
        {
            return Field("twilio.authToken", "must be your Twilio auth token (16 to 256 characters, no spaces)");
        }

        if (Twilio.From is { } from && E164Numbers.Parse(from, null).E164 is null)
        {
            return Field("twilio.from", "must be a phone number in E.164 form, such as +15551234567");
        }

        if (Twilio.MessagingServiceSid is { } service && (service.Length != 34 || !service.StartsWith("MG", StringComparison.Ordinal)))
        {
            return Field("twilio.messagingServiceSid", "must be a messaging service SID: MG and 32 hexadecimal digits");
        }

        if (Twilio.From is null && (Twilio.MessagingServiceSid is null || MessageTypes.Contains(PhoneChannel.Voice)))
        {
            return Field("twilio.from", "is required for voice calls, and for text messages unless messagingServiceSid is set");
        }

        return null;
    }

    private FieldError? WebhookProblem()
    {
        if (!Uri.TryCreate(Webhook.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.UserInfo))
        {
            return Field("webhook.url", "must be an https:// URL without a user name or password");
        }

        return Webhook.Secret is { Length: < 32 or > 512 }
            ? Field("webhook.secret", "must be 32 to 512 characters; use a long random value")
            : null;
    }

    private static FieldError Field(string name, string message) => new($"phone.{name}", message);
}
