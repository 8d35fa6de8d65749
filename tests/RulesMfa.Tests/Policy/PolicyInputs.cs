using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

/// <summary>Policy inputs to adjust with <c>with { ... }</c>.</summary>
internal static class PolicyInputs
{
    /// <summary>A tenant that enables every factor type that can be enabled together, recovery codes included (Duo is only ever alone).</summary>
    public static TenantMfaSettings AllFactorsEnabled => new() { EnabledFactors = FactorType.All.Where(type => type != FactorType.Duo).ToList() };

    /// <summary>
    /// <paramref name="decision"/> for a user with OTP and a recovery code in a tenant enabling every factor; no step-up,
    /// no MFA yet in this session, no remembered browser.
    /// </summary>
    public static PolicyInput For(DecisionBuilder decision) =>
        new(decision.Build(), AllFactorsEnabled, [FactorType.Otp, FactorType.RecoveryCode], StepUpRequested: false, MfaDoneInSession: false, HasRememberedBrowser: false);
}
