using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Policy;

/// <summary>
/// Turns the rules' decision, the tenant's settings, the user's factors and the session into what the user must do
/// next. Pure: no I/O, no clock. The steps, first that applies wins:
/// <list type="number">
/// <item>the rules denied (or faulted under the deny fail mode) → deny with their error; a rule asked for a redirect, which
/// this server does not follow → deny;</item>
/// <item>the client asked for step-up (and the tenant honours it) and this session has not done MFA → MFA, ignoring remembered browsers;</item>
/// <item>the rules asked for MFA, a challenge or an enrollment → MFA with their factors;</item>
/// <item>the rules said provider <c>none</c> → no MFA;</item>
/// <item>the tenant always requires MFA → MFA; otherwise no MFA.</item>
/// </list>
/// An MFA result becomes a deny when no allowed factor is enabled; an enrollment when the rules demand one or the user
/// has none of the allowed factors, preceded by a challenge of a factor the user already has (a password alone never
/// adds a factor to an account that has one), or just that challenge when the user already has every demanded factor;
/// no MFA when the rules allowed remembering the browser and it is remembered (never under step-up); and otherwise a
/// challenge with the user's factors, most secure first.
/// </summary>
/// <remarks>
/// MFA already done in this session only satisfies a step-up request. When the rules ask for MFA, a session that did
/// MFA is challenged again unless the rules allowed a remembered browser and one is present: the rules may ask again on
/// purpose (a sensitive client, a risky request), and the session flag alone cannot tell which factors were used.
/// </remarks>
public static class MfaPolicy
{
    /// <summary>Plans one login's MFA.</summary>
    public static FactorPlan Plan(PolicyInput input)
    {
        var decision = input.Decision;
        if (decision.Outcome == DecisionOutcome.Deny)
        {
            return new FactorPlan.Deny(
                decision.Error?.Code ?? DecisionError.AccessDenied,
                decision.Error?.Description ?? "The rules denied the login.",
                PlanReason.RulesDenied);
        }

        if (decision.Redirect is not null)
        {
            // A redirect holds an Auth0 login until the user comes back from the page; this server does not follow one, and
            // going on without it would skip what the rule sent the user to do (a consent, an outside check).
            return new FactorPlan.Deny(DecisionError.AccessDenied, RedirectDescription, PlanReason.RedirectNotFollowed);
        }

        var stepUp = input.StepUpRequested && input.Settings.HonorStepUp;
        var rulesAskedForMfa = RulesAskedForMfa(decision);
        if (stepUp && !input.MfaDoneInSession)
        {
            return Demand(input, PlanReason.StepUpRequested, rulesAskedForMfa, rememberedBrowserCounts: false);
        }

        if (rulesAskedForMfa)
        {
            var trigger = IsFault(decision) ? PlanReason.FaultRequiresMfa : PlanReason.RulesAskedForMfa;
            return Demand(input, trigger, useRulesFactors: true, rememberedBrowserCounts: decision.AllowRememberBrowser == true && !stepUp);
        }

        if (Provider(decision) == MfaProvider.None)
        {
            return new FactorPlan.None(PlanReason.RulesSkippedMfa);
        }

        if (input.Settings.AlwaysRequireMfa)
        {
            // No rule allowed remembering the browser here, so a remembered browser does not count.
            return Demand(input, PlanReason.TenantAlwaysRequiresMfa, useRulesFactors: false, rememberedBrowserCounts: false);
        }

        return new FactorPlan.None(stepUp ? PlanReason.StepUpSatisfied : PlanReason.NotRequired);
    }

    private static FactorPlan Demand(PolicyInput input, string trigger, bool useRulesFactors, bool rememberedBrowserCounts)
    {
        var decision = input.Decision;
        var allowed = useRulesFactors ? AllowedByRules(decision) : AllowedFactors.AnyFactor;
        if (allowed.UnavailableProvider is { } provider)
        {
            return new FactorPlan.Deny(DecisionError.AccessDenied, UnavailableDescription(provider), PlanReason.Of(trigger, PlanReason.ProviderUnavailable));
        }

        var enabled = input.Settings.EnabledFactors.ToHashSet(StringComparer.Ordinal);
        var offered = FactorType.OfferableBySecurity(allowed.Factors.Where(enabled.Contains));
        if (offered.Count == 0)
        {
            return new FactorPlan.Deny(DecisionError.AccessDenied, NoFactorDescription(allowed, useRulesFactors), PlanReason.Of(trigger, PlanReason.NoFactorEnabled))
            {
                UnavailableFactors = useRulesFactors && allowed != AllowedFactors.AnyFactor ? allowed.Factors : [],
            };
        }

        var enrolled = input.EnrolledFactors.ToHashSet(StringComparer.Ordinal);
        var recoveryCodeAllowed = enabled.Contains(FactorType.RecoveryCode) && enrolled.Contains(FactorType.RecoveryCode);
        var demanded = useRulesFactors && decision.Enroll;
        var challenge = offered.Where(enrolled.Contains).ToList();
        var toEnroll = demanded ? offered.Where(factor => !enrolled.Contains(factor) || FactorType.AllowsSeveral(factor)).ToList() : challenge.Count == 0 ? offered : [];
        if (toEnroll.Count > 0)
        {
            var detail = demanded ? PlanReason.EnrollmentDemanded : PlanReason.NothingEnrolled;
            var existing = ExistingFactors(enrolled, enabled);
            if (existing.Count > 0)
            {
                return new FactorPlan.Challenge(existing, recoveryCodeAllowed, PlanReason.Of(PlanReason.Of(trigger, detail), PlanReason.ExistingFactorFirst)) { ThenEnroll = toEnroll };
            }

            // Device biometrics are added only after another factor passed (progressive enrollment, as Auth0): never as a first factor.
            var firstFactors = toEnroll.Where(factor => factor != FactorType.WebAuthnPlatform).ToList();
            return firstFactors.Count > 0
                ? new FactorPlan.Enroll(firstFactors, PlanReason.Of(trigger, detail))
                : new FactorPlan.Deny(DecisionError.AccessDenied, OnlyAfterAnotherFactorDescription, PlanReason.Of(trigger, PlanReason.NoFirstFactor))
                {
                    UnavailableFactors = toEnroll,
                };
        }

        if (demanded)
        {
            return new FactorPlan.Challenge(challenge, recoveryCodeAllowed, PlanReason.Of(trigger, PlanReason.AlreadyEnrolled));
        }

        if (rememberedBrowserCounts && input.HasRememberedBrowser)
        {
            return new FactorPlan.None(PlanReason.Of(trigger, PlanReason.RememberedBrowser));
        }

        return new FactorPlan.Challenge(challenge, recoveryCodeAllowed, trigger);
    }

    /// <summary>
    /// The factors a user who already has one must pass before enrolling another (as Auth0's "User is already enrolled"):
    /// the enabled ones they have, most secure first; when the tenant has since disabled all of them, any they have, since
    /// proving an existing factor is the only safe way to add one.
    /// </summary>
    private static IReadOnlyList<string> ExistingFactors(HashSet<string> enrolled, HashSet<string> enabled)
    {
        var existing = FactorType.OfferableBySecurity(enrolled);
        var existingEnabled = existing.Where(enabled.Contains).ToList();
        return existingEnabled.Count > 0 ? existingEnabled : existing;
    }

    /// <summary>Factor types from Actions win; else the provider's factors; a request without a usable provider is <c>any</c> (fail closed).</summary>
    private static AllowedFactors AllowedByRules(MfaDecision decision)
    {
        if (decision.Factors.Count > 0)
        {
            return new AllowedFactors(decision.Factors, null);
        }

        var provider = Provider(decision) ?? MfaProvider.Any;
        if (provider is MfaProvider.Any or MfaProvider.None)
        {
            return AllowedFactors.AnyFactor;
        }

        return MfaProvider.FactorsOf(provider) is { } factors
            ? new AllowedFactors(factors, null)
            : new AllowedFactors([], provider);
    }

    private static bool RulesAskedForMfa(MfaDecision decision) =>
        decision.Outcome == DecisionOutcome.Mfa
        || decision.Enroll
        || decision.Factors.Count > 0
        || (Provider(decision) is { } provider && provider != MfaProvider.None);

    /// <summary>The provider of the MFA request; <c>any</c> when the request names none usable; null without a request.</summary>
    private static string? Provider(MfaDecision decision) =>
        decision.Multifactor is not { } request ? null
        : request["provider"] is JsonValue value && value.TryGetValue<string>(out var provider) ? provider
        : MfaProvider.Any;

    /// <summary>An MFA outcome with a faulted rule in the trace came from the require-MFA fail mode (a rule's own error denies).</summary>
    private static bool IsFault(MfaDecision decision) =>
        decision.Rules.Any(rule => rule.Status is RuleStatus.Timeout or RuleStatus.Limit or RuleStatus.Error);

    private static string UnavailableDescription(string provider) => $"The rules asked for MFA provider '{provider}', which is not supported.";

    private const string RedirectDescription =
        "The rules asked to send the user to another page first (context.redirect, api.redirect.sendUserTo), which this server does not do, so the login is refused.";

    private const string OnlyAfterAnotherFactorDescription =
        "The rules allowed only this device's fingerprint or face, which can be added only after another sign-in method.";

    private static string NoFactorDescription(AllowedFactors allowed, bool useRulesFactors)
    {
        if (!useRulesFactors || allowed == AllowedFactors.AnyFactor)
        {
            return "MFA is required, but no MFA factor is enabled for this tenant.";
        }

        var named = string.Join(", ", allowed.Factors.Select(FactorType.DisplayNameOf));
        return FactorType.OfferableBySecurity(allowed.Factors).Count == 0
            ? $"The rules allowed only {named}, which is offered only as a fallback to another factor."
            : $"The rules allowed MFA with {named}, but none of these is enabled for this tenant.";
    }

    /// <summary>The factors a request allows, or the provider that cannot be served.</summary>
    private sealed record AllowedFactors(IReadOnlyList<string> Factors, string? UnavailableProvider)
    {
        public static AllowedFactors AnyFactor { get; } = new(FactorType.BySecurity, null);
    }
}
