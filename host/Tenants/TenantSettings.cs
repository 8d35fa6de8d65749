using System.Text.Json;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Host.Tenants;

/// <summary>A tenant's MFA settings, stored as JSON on the tenant.</summary>
public sealed class TenantSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Factor types users of this tenant may use. Default: what this host serves: an authenticator app, email codes, a recovery code.</summary>
    public List<string> EnabledFactors { get; set; } = ["otp", "email", "recovery-code"];

    /// <summary>Require MFA on every login unless a rule says <c>none</c>. Default false.</summary>
    public bool AlwaysRequireMfa { get; set; }

    /// <summary>Honour a client's <c>acr_values</c> step-up request. Default true.</summary>
    public bool HonorStepUp { get; set; } = true;

    /// <summary>What a rule fault leads to. Default deny.</summary>
    public FailMode FailMode { get; set; } = FailMode.Deny;

    public static TenantSettings Parse(string json) => JsonSerializer.Deserialize<TenantSettings>(json, Json) ?? new TenantSettings();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The settings the MFA policy reads.</summary>
    public TenantMfaSettings ToMfaSettings() => new() { EnabledFactors = EnabledFactors, AlwaysRequireMfa = AlwaysRequireMfa, HonorStepUp = HonorStepUp };
}
