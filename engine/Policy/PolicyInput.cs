using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Policy;

/// <summary>Everything <see cref="MfaPolicy"/> needs to plan one login's MFA.</summary>
/// <param name="Decision">What the rules decided.</param>
/// <param name="Settings">The tenant's MFA settings.</param>
/// <param name="EnrolledFactors">The factor types the user has enrolled, in Actions' spelling.</param>
/// <param name="StepUpRequested">The client asked for step-up (<see cref="AcrValues.RequestsMultiFactor"/>).</param>
/// <param name="MfaDoneInSession">The user already passed MFA in this session.</param>
/// <param name="HasRememberedBrowser">The browser brought a valid, unexpired remember-browser token for this user.</param>
public sealed record PolicyInput(
    MfaDecision Decision,
    TenantMfaSettings Settings,
    IReadOnlyCollection<string> EnrolledFactors,
    bool StepUpRequested,
    bool MfaDoneInSession,
    bool HasRememberedBrowser);
