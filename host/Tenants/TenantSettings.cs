using System.Text.Json;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Policy;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Host.Tenants;

/// <summary>A tenant's MFA settings, stored as JSON on the tenant.</summary>
public sealed class TenantSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Factor types users of this tenant may use. Default: what this host serves: an authenticator app, email codes, a recovery code.</summary>
    public List<string> EnabledFactors { get; set; } = [FactorType.Otp, FactorType.Email, FactorType.RecoveryCode];

    /// <summary>Require MFA on every login unless a rule says <c>none</c>. Default false.</summary>
    public bool AlwaysRequireMfa { get; set; }

    /// <summary>Honour a client's <c>acr_values</c> step-up request. Default true.</summary>
    public bool HonorStepUp { get; set; } = true;

    /// <summary>What a rule fault leads to. Default deny.</summary>
    public FailMode FailMode { get; set; } = FailMode.Deny;

    public const int MinRememberBrowserDays = 1;

    public const int MaxRememberBrowserDays = 365;

    /// <summary>How long "remember this browser" lasts, in days (1 to 365). Default 30.</summary>
    public int RememberBrowserDays { get; set; } = 30;

    /// <summary>WebAuthn: the user verification security keys must do. Default: <see cref="Factors.WebAuthn.WebAuthnSettings"/>'s.</summary>
    public Factors.WebAuthn.WebAuthnSettings WebAuthn { get; set; } = new();

    /// <summary>The phone factor: channels, number region, message templates and sender. Default: <see cref="Factors.Phone.PhoneSettings"/>'s.</summary>
    public Factors.Phone.PhoneSettings Phone { get; set; } = new();

    /// <summary>Duo: the tenant's Duo application. Default: none (Duo not set up).</summary>
    public Factors.Duo.DuoSettings Duo { get; set; } = new();

    /// <summary>
    /// Run every login's rules on a new engine instead of one of the rule set's reused engines (put back as prepared
    /// after each login, or discarded; SECURITY.md). The same decisions either way, several times slower. Default false.
    /// </summary>
    public bool FreshEnginePerLogin { get; set; }

    /// <summary>The rule sandbox's limits for this tenant. Default: <see cref="SandboxLimits"/>'s safe defaults.</summary>
    public SandboxLimits Limits { get; set; } = new();

    /// <summary>What is wrong with these settings (a field name and the problem), or null when they are valid.</summary>
    public Admin.FieldError? Problem()
    {
        if (EnabledFactors.Count == 0 || !EnabledFactors.All(FactorType.IsKnown))
        {
            return new Admin.FieldError("enabledFactors", $"name one or more of {string.Join(", ", FactorType.All)}");
        }

        if (RememberBrowserDays is < MinRememberBrowserDays or > MaxRememberBrowserDays)
        {
            return new Admin.FieldError("rememberBrowserDays", $"must be between {MinRememberBrowserDays} and {MaxRememberBrowserDays}");
        }

        if (!Enum.IsDefined(FailMode))
        {
            return new Admin.FieldError("failMode", "must be deny or requireMfa");
        }

        if (!Enum.IsDefined(WebAuthn.UserVerification))
        {
            return new Admin.FieldError("webAuthn.userVerification", "must be discouraged, preferred or required");
        }

        if (Phone.Problem() is { } phone)
        {
            return phone;
        }

        if (Duo.Problem(EnabledFactors, RememberBrowserDays) is { } duo)
        {
            return duo;
        }

        try
        {
            Limits.Validate();
            return null;
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException invalid)
        {
            var field = invalid.ValidationResult.MemberNames.FirstOrDefault() ?? "";
            return new Admin.FieldError($"limits.{JsonNamingPolicy.CamelCase.ConvertName(field)}", invalid.ValidationResult.ErrorMessage ?? "out of range");
        }
    }

    /// <summary>The settings as the admin API reads and writes them (camelCase, enums as names).</summary>
    public static JsonSerializerOptions JsonOptions => Json;

    public static TenantSettings Parse(string json) => JsonSerializer.Deserialize<TenantSettings>(json, Json) ?? new TenantSettings();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The settings the MFA policy reads.</summary>
    public TenantMfaSettings ToMfaSettings(bool? honorStepUp = null) =>
        new() { EnabledFactors = EnabledFactors, AlwaysRequireMfa = AlwaysRequireMfa, HonorStepUp = honorStepUp ?? HonorStepUp };
}
