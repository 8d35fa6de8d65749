using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

/// <summary>The order of the policy's steps, step-up, the session and remembered browsers.</summary>
public sealed class MfaPolicyTests
{
    private static readonly FactorPlan.Challenge OtpChallenge = new([FactorType.Otp], RecoveryCodeAllowed: true, PlanReason.RulesAskedForMfa);

    [Test]
    public void Plan_RulesDenied_DeniesWithTheirError()
    {
        var input = PolicyInputs.For(DecisionBuilder.Denied(DecisionError.Unauthorized, "Blocked country")) with { StepUpRequested = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny("unauthorized", "Blocked country", PlanReason.RulesDenied)));
    }

    [Test]
    public void Plan_DenyOutcomeWithoutError_DeniesWithAccessDenied()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow().WithOutcome(DecisionOutcome.Deny));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny("access_denied", "The rules denied the login.", PlanReason.RulesDenied)));
    }

    [TestCase(null)]
    [TestCase("none")]
    [TestCase("any")]
    public void Plan_RulesAskedForARedirect_DeniesSayingRedirectsAreNotFollowed(string? provider)
    {
        var decision = (provider is null ? DecisionBuilder.Allow() : DecisionBuilder.Provider(provider, allowRememberBrowser: true))
            .WithRedirect("https://consent.example/terms?state=1");
        var input = PolicyInputs.For(decision) with { HasRememberedBrowser = true, MfaDoneInSession = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny("access_denied",
            "The rules asked to send the user to another page first (context.redirect, api.redirect.sendUserTo), which this server does not do, so the login is refused.",
            PlanReason.RedirectNotFollowed)));
    }

    [Test]
    public void Plan_StepUpWithoutMfaInSession_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with { StepUpRequested = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.StepUpRequested }));
    }

    [Test]
    public void Plan_StepUpWhenRulesSaidNone_StillChallenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("none")) with { StepUpRequested = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.StepUpRequested }));
    }

    [Test]
    public void Plan_StepUpWithRememberedBrowser_IgnoresTheRememberedBrowser()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: true)) with
        {
            StepUpRequested = true,
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.StepUpRequested }));
    }

    [Test]
    public void Plan_StepUpWhileRulesAskForMfa_KeepsTheRulesFactors()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator")) with
        {
            EnrolledFactors = [FactorType.Email, FactorType.Otp],
            StepUpRequested = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], false, PlanReason.StepUpRequested)));
    }

    [Test]
    public void Plan_StepUpWithoutRulesAskingForMfa_OffersEveryEnrolledFactor()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            EnrolledFactors = [FactorType.Email, FactorType.Otp],
            StepUpRequested = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp, FactorType.Email], false, PlanReason.StepUpRequested)));
    }

    [Test]
    public void Plan_StepUpWhenTenantDoesNotHonorIt_IsIgnored()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, HonorStepUp = false },
            StepUpRequested = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None(PlanReason.NotRequired)));
    }

    [Test]
    public void Plan_StepUpNotHonoredWithRememberedBrowser_AcceptsTheRememberedBrowser()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: true)) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, HonorStepUp = false },
            StepUpRequested = true,
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.RememberedBrowser))));
    }

    [Test]
    public void Plan_StepUpAlreadySatisfiedInSession_AllowsWithoutMfa()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with { StepUpRequested = true, MfaDoneInSession = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None(PlanReason.StepUpSatisfied)));
    }

    [Test]
    public void Plan_StepUpAlreadySatisfiedButRulesAskForMfa_ChallengesForTheRules()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with { StepUpRequested = true, MfaDoneInSession = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_StepUpAlreadySatisfiedWithRememberedBrowser_StillChallengesForTheRules()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: true)) with
        {
            StepUpRequested = true,
            MfaDoneInSession = true,
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RulesAskForMfa_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any"));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RulesAskForMfaInSessionThatDidMfa_ChallengesAgain()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: false)) with { MfaDoneInSession = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RulesAskForMfaOverTenantThatNeverRequiresIt_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, AlwaysRequireMfa = false },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_FaultUnderRequireMfaFailMode_ChallengesAndSaysWhy()
    {
        var input = PolicyInputs.For(DecisionBuilder.FaultedToMfa()) with { HasRememberedBrowser = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.FaultRequiresMfa }));
    }

    /// <summary>The engine always sends a request with an MFA outcome; without one the policy still fails closed.</summary>
    [Test]
    public void Plan_MfaOutcomeWithoutARequest_StillChallenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow().WithOutcome(DecisionOutcome.Mfa));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RulesSaidNone_SkipsMfaOverTenantAlwaysRequire()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("none")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, AlwaysRequireMfa = true },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None(PlanReason.RulesSkippedMfa)));
    }

    [Test]
    public void Plan_TenantAlwaysRequiresMfa_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, AlwaysRequireMfa = true },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.TenantAlwaysRequiresMfa }));
    }

    [Test]
    public void Plan_TenantAlwaysRequiresMfaWithRememberedBrowser_StillChallenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = FactorType.All, AlwaysRequireMfa = true },
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge with { Reason = PlanReason.TenantAlwaysRequiresMfa }));
    }

    [Test]
    public void Plan_NothingAskedForMfa_AllowsWithoutMfa()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow());

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None(PlanReason.NotRequired)));
    }

    [Test]
    public void Plan_RememberBrowserAllowedAndRemembered_SkipsTheChallenge()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: true)) with { HasRememberedBrowser = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.None("rules asked for MFA; remembered browser")));
    }

    [Test]
    public void Plan_RememberBrowserAllowedButNotRemembered_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: true));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RememberBrowserFalseWithRememberedBrowser_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: false)) with { HasRememberedBrowser = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RememberBrowserUnsetWithRememberedBrowser_Challenges()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any", allowRememberBrowser: null)) with { HasRememberedBrowser = true };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_RememberedBrowserWhenNothingEnrolled_StillEnrolls()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator", allowRememberBrowser: true)) with
        {
            EnrolledFactors = [],
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll([FactorType.Otp], PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled))));
    }

    [Test]
    public void Plan_RequestWithoutProvider_FailsClosedToAny()
    {
        var decision = DecisionBuilder.Allow().WithMultifactor(new JsonObject { ["allowRememberBrowser"] = false }).WithOutcome(DecisionOutcome.Allow);

        var plan = MfaPolicy.Plan(PolicyInputs.For(decision));

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void Plan_FactorsWithAllowOutcome_StillRequiresMfa()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.Otp).WithOutcome(DecisionOutcome.Allow));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(OtpChallenge));
    }

    [Test]
    public void ToString_Challenge_ListsTheFactors()
    {
        var plan = new FactorPlan.Challenge([FactorType.Otp, FactorType.Email], true, PlanReason.RulesAskedForMfa);

        var text = plan.ToString();

        Assert.That(text, Is.EqualTo("Challenge { Factors = [otp, email], RecoveryCodeAllowed = True, Reason = rules asked for MFA }"));
    }
}
