namespace RulesMfa.Engine.Policy;

/// <summary>
/// The words of <see cref="FactorPlan.Reason"/>: a trigger (which step of the policy applied), then, after
/// <c>"; "</c>, what narrowed it (enrollment, a remembered browser, no factor enabled).
/// </summary>
public static class PlanReason
{
    /// <summary>Step 1: a rule denied, errored or faulted under the deny fail mode.</summary>
    public const string RulesDenied = "rules denied the login";

    /// <summary>Step 1: a rule asked to send the user to another page first, which this server does not do.</summary>
    public const string RedirectNotFollowed = "a rule asked for a redirect, which is not followed";

    /// <summary>Step 2: the client asked for step-up and this session has not done MFA.</summary>
    public const string StepUpRequested = "step-up requested";

    /// <summary>Step 3: the rules asked for MFA, a challenge or an enrollment.</summary>
    public const string RulesAskedForMfa = "rules asked for MFA";

    /// <summary>Step 3, when the MFA request came from a fault under the require-MFA fail mode.</summary>
    public const string FaultRequiresMfa = "a rule faulted and the fail mode requires MFA";

    /// <summary>Step 4: the rules said provider <c>none</c>.</summary>
    public const string RulesSkippedMfa = "rules said provider none";

    /// <summary>Step 5: the tenant always requires MFA.</summary>
    public const string TenantAlwaysRequiresMfa = "tenant always requires MFA";

    /// <summary>Step 5: nothing asked for MFA.</summary>
    public const string NotRequired = "no rule asked for MFA and the tenant does not always require it";

    /// <summary>Step 5, when the client asked for step-up but this session already did MFA.</summary>
    public const string StepUpSatisfied = "step-up already satisfied in this session";

    /// <summary>A remembered browser satisfied the MFA request.</summary>
    public const string RememberedBrowser = "remembered browser";

    /// <summary>The rules demanded an enrollment.</summary>
    public const string EnrollmentDemanded = "rules demanded enrollment";

    /// <summary>The user has none of the allowed, enabled factors.</summary>
    public const string NothingEnrolled = "no allowed factor enrolled";

    /// <summary>The user already has a factor, so must pass one of theirs before enrolling another.</summary>
    public const string ExistingFactorFirst = "an enrolled factor first";

    /// <summary>The rules demanded enrollment of factors the user already has: a challenge with them instead.</summary>
    public const string AlreadyEnrolled = "already enrolled";

    /// <summary>None of the allowed factors is enabled for the tenant.</summary>
    public const string NoFactorEnabled = "no allowed factor is enabled";

    /// <summary>The user has no factor and the rules allowed only device biometrics, which are added only after another factor.</summary>
    public const string NoFirstFactor = "device biometrics need another factor first";

    /// <summary>The rules named a provider this server cannot serve.</summary>
    public const string ProviderUnavailable = "provider not available";

    /// <summary>A trigger narrowed by a detail: <c>trigger; detail</c>.</summary>
    public static string Of(string trigger, string detail) => $"{trigger}; {detail}";
}
