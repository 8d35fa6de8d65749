using System.Globalization;
using Fluid;
using RulesMfa.Host.Templating;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// A tenant's phone messages, in Liquid (Fluid), as Auth0 writes them: <c>enrollmentMessage</c> and
/// <c>verificationMessage</c> see <c>code</c>, <c>tenant.friendly_name</c>, <c>message_type</c> (<c>sms</c> or
/// <c>voice</c>) and <c>locale</c>. A voice message reads the code digit by digit (<c>code</c> is <c>1, 2, 3, 4, 5, 6</c>
/// there: the commas make a text-to-speech voice say each digit and pause).
/// </summary>
/// <remarks>
/// A template is at most <see cref="MaxTemplateLength"/> characters and is checked when the settings are saved
/// (<see cref="Problem"/>). Rendering is bounded, whatever the template does: <see cref="MaxSteps"/> steps,
/// <see cref="MaxMessageLength"/> characters of output (a longer message is an error, not a cut message).
/// </remarks>
public static class PhoneTemplates
{
    /// <summary>Auth0's default enrollment message.</summary>
    public const string DefaultEnrollmentMessage = "{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.";

    /// <summary>Auth0's default sign-in message.</summary>
    public const string DefaultVerificationMessage = "{{code}} is your verification code for {{tenant.friendly_name}}";

    /// <summary>The longest template: 1,000 characters.</summary>
    public const int MaxTemplateLength = 1_000;

    /// <summary>The longest rendered message: 1,600 characters, the most Twilio accepts in one message body.</summary>
    public const int MaxMessageLength = 1_600;

    /// <summary>The most steps (tags, loop turns) one rendering may take: 1,000.</summary>
    public const int MaxSteps = 1_000;

    private const string ProbeCode = "914263";

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps).WithMaxOutputSize(MaxMessageLength).WithMaxRecursion(10).WithMaxCollectionSize(MaxSteps)
        .WithCultureInfo(CultureInfo.InvariantCulture).Build();

    /// <summary>What is wrong with <paramref name="template"/> (with its 1-based line when it does not parse), or null.</summary>
    public static TemplateProblem? Problem(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return new TemplateProblem("must not be empty");
        }

        if (template.Length > MaxTemplateLength)
        {
            return new TemplateProblem($"must be at most {MaxTemplateLength:N0} characters");
        }

        if (!LiquidTemplates.Shared.TryParse(template, out var parsed, out var error))
        {
            return new TemplateProblem($"is not valid Liquid: {error.Message}", error.Line, error.Column);
        }

        // A trial message: the template must show the code, within the rendering bounds.
        try
        {
            return parsed.Render(Context(ProbeCode, PhoneChannel.Sms, "Tenant", "en")).Contains(ProbeCode, StringComparison.Ordinal)
                ? null
                : new TemplateProblem("must show the code ({{code}})");
        }
        catch (InvalidOperationException bound)
        {
            return new TemplateProblem($"breaks a rendering limit: {bound.Message}");
        }
    }

    /// <summary>
    /// The message <paramref name="template"/> makes for <paramref name="code"/>; a <see cref="PhoneTemplateException"/>
    /// when it does not parse or breaks a rendering bound.
    /// </summary>
    public static async Task<string> RenderAsync(string template, string code, PhoneChannel channel, string tenantName, string locale)
    {
        if (!LiquidTemplates.Shared.TryParse(template, out var parsed, out var error))
        {
            throw new PhoneTemplateException($"The message template is not valid Liquid: {error.Message}");
        }

        string text;
        try
        {
            text = (await parsed.RenderAsync(Context(code, channel, tenantName, locale))).Trim();
        }
        catch (InvalidOperationException bound)
        {
            throw new PhoneTemplateException($"The message template broke a rendering limit: {bound.Message}");
        }

        return text.Length is > 0 and <= MaxMessageLength
            ? text
            : throw new PhoneTemplateException($"The message template made a message of {text.Length:N0} characters; it must be 1 to {MaxMessageLength:N0}.");
    }

    private static TemplateContext Context(string code, PhoneChannel channel, string tenantName, string locale)
    {
        var context = new TemplateContext(Options, StringComparer.Ordinal);
        context.SetValue("code", channel == PhoneChannel.Voice ? string.Join(", ", code.ToCharArray()) : code);
        context.SetValue("message_type", channel == PhoneChannel.Voice ? "voice" : "sms");
        context.SetValue("locale", locale);
        context.SetValue("tenant", new Dictionary<string, object> { ["friendly_name"] = tenantName });
        return context;
    }
}
