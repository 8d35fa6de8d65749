using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

/// <summary>Which factors a plan offers: providers, Actions' factor types, the tenant's and the user's factors, enrollment, recovery codes.</summary>
public sealed class MfaPolicyFactorsTests
{
    private static readonly string[] EveryOfferable =
        [FactorType.Email, FactorType.Phone, FactorType.Otp, FactorType.PushNotification, FactorType.WebAuthnPlatform, FactorType.WebAuthnRoaming];

    [Test]
    public void Plan_ProviderAny_OffersEveryEnabledEnrolledFactorMostSecureFirst()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with { EnrolledFactors = EveryOfferable };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge(
            ["webauthn-roaming", "webauthn-platform", "push-notification", "otp", "phone", "email"], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_ProviderGuardian_OffersPushPhoneOtpAndEmail()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("guardian")) with { EnrolledFactors = EveryOfferable };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge(
            [FactorType.PushNotification, FactorType.Otp, FactorType.Phone, FactorType.Email], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_ProviderGoogleAuthenticator_OffersOtpOnly()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator")) with { EnrolledFactors = EveryOfferable };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_ProviderDuo_DuoTheTenantsOnlyFactor_ChallengesWithDuo()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("duo")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Duo] },
            EnrolledFactors = [FactorType.Otp, FactorType.Duo],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Duo], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_ProviderDuo_DuoNotEnabled_DeniesSayingSo()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("duo")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Otp, FactorType.Email, FactorType.RecoveryCode] },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "The rules allowed MFA with Duo, but none of these is enabled for this tenant.", "rules asked for MFA; no allowed factor is enabled")
        {
            UnavailableFactors = [FactorType.Duo],
        }));
    }

    [Test]
    public void Plan_UnknownProvider_DeniesNamingIt()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("contoso-token"));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "The rules asked for MFA provider 'contoso-token', which is not supported.",
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.ProviderUnavailable))));
    }

    [Test]
    public void Plan_ActionsFactorTypes_MapToThemselvesMostSecureFirst()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.Email, FactorType.WebAuthnRoaming, FactorType.Phone)) with
        {
            EnrolledFactors = EveryOfferable,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge(
            [FactorType.WebAuthnRoaming, FactorType.Phone, FactorType.Email], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_FactorsNotEnabledForTenant_AreLeftOut()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Email, FactorType.Otp] },
            EnrolledFactors = EveryOfferable,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp, FactorType.Email], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_FactorsNotEnrolledByUser_AreLeftOutOfTheChallenge()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("guardian")) with { EnrolledFactors = [FactorType.Email, FactorType.WebAuthnRoaming] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Email], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_DefaultTenantSettings_OfferOtpAndEmail()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings(),
            EnrolledFactors = [.. EveryOfferable, FactorType.RecoveryCode],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp, FactorType.Email], true, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_NothingEnrolled_EnrollsOneOfTheAllowedEnabledFactors()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("guardian")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Email, FactorType.Otp, FactorType.WebAuthnRoaming, FactorType.RecoveryCode] },
            EnrolledFactors = [],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll(
            [FactorType.Otp, FactorType.Email], PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled))));
    }

    [Test]
    public void Plan_OnlyARecoveryCodeEnrolled_Enrolls()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator")) with { EnrolledFactors = [FactorType.RecoveryCode] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll([FactorType.Otp], PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled))));
    }

    [Test]
    public void Plan_OnlyFactorsOutsideTheAllowedSetEnrolled_ChallengesAnExistingFactorThenEnrolls()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator")) with { EnrolledFactors = [FactorType.Email] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Email], false,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled), PlanReason.ExistingFactorFirst)) { ThenEnroll = [FactorType.Otp] }));
    }

    [Test]
    public void Plan_ExistingFactorsNoLongerEnabled_AreStillTheProofBeforeEnrolling()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Email, FactorType.RecoveryCode] },
            EnrolledFactors = [FactorType.Otp, FactorType.RecoveryCode],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], true,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled), PlanReason.ExistingFactorFirst)) { ThenEnroll = [FactorType.Email] }));
    }

    [Test]
    public void Plan_ExistingFactorsSomeEnabled_ProvesOnlyWithTheEnabledOnes()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.WebAuthnRoaming)) with
        {
            EnrolledFactors = [FactorType.Otp, FactorType.Email],
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.WebAuthnRoaming, FactorType.Email] },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Email], false,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled), PlanReason.ExistingFactorFirst))
        {
            ThenEnroll = [FactorType.WebAuthnRoaming],
        }));
    }

    [Test]
    public void Plan_TenantAlwaysRequiresMfaAndNothingEnrolled_EnrollsAnyEnabledFactor()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            Settings = new TenantMfaSettings { AlwaysRequireMfa = true },
            EnrolledFactors = [],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll(
            [FactorType.Otp, FactorType.Email], PlanReason.Of(PlanReason.TenantAlwaysRequiresMfa, PlanReason.NothingEnrolled))));
    }

    [Test]
    public void Plan_EnrollDemandedWhenUserHasEveryDemandedFactor_ChallengesWithThem()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.Otp, FactorType.WebAuthnPlatform)) with
        {
            EnrolledFactors = [FactorType.Otp, FactorType.WebAuthnPlatform, FactorType.RecoveryCode],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge(
            [FactorType.WebAuthnPlatform, FactorType.Otp], true, PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.AlreadyEnrolled))));
    }

    [Test]
    public void Plan_EnrollDemandedWhenUserHasAnotherFactor_ChallengesItThenEnrollsOnlyWhatIsNew()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.Otp, FactorType.Email));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], true,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.EnrollmentDemanded), PlanReason.ExistingFactorFirst)) { ThenEnroll = [FactorType.Email] }));
    }

    [Test]
    public void Plan_EnrollDemandedWithRecoveryCode_NeverEnrollsTheRecoveryCode()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.RecoveryCode, FactorType.Email)) with { EnrolledFactors = [] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll([FactorType.Email], PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.EnrollmentDemanded))));
    }

    [Test]
    public void Plan_EnrollDemandedUnderStepUp_Enrolls()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.Email)) with { StepUpRequested = true, EnrolledFactors = [] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll([FactorType.Email], PlanReason.Of(PlanReason.StepUpRequested, PlanReason.EnrollmentDemanded))));
    }

    [Test]
    public void Plan_NoAllowedFactorEnabled_DeniesNamingTheAllowedFactors()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.WebAuthnRoaming, FactorType.PushNotification)) with
        {
            Settings = new TenantMfaSettings(),
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied",
            "The rules allowed MFA with Security key, Push notification, but none of these is enabled for this tenant.",
            "rules asked for MFA; no allowed factor is enabled") { UnavailableFactors = [FactorType.WebAuthnRoaming, FactorType.PushNotification] }));
    }

    [Test]
    public void Plan_ProviderFactorsNoneEnabled_DeniesNamingTheProvidersFactors()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Email, FactorType.RecoveryCode] },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied",
            "The rules allowed MFA with Authenticator app, but none of these is enabled for this tenant.",
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NoFactorEnabled)) { UnavailableFactors = [FactorType.Otp] }));
    }

    [Test]
    public void Plan_AnyFactorButOnlyRecoveryCodesEnabled_Denies()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.RecoveryCode] },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "MFA is required, but no MFA factor is enabled for this tenant.",
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NoFactorEnabled))));
    }

    [Test]
    public void Plan_TenantAlwaysRequiresMfaWithNoFactorEnabled_Denies()
    {
        var input = PolicyInputs.For(DecisionBuilder.Allow()) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [], AlwaysRequireMfa = true },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "MFA is required, but no MFA factor is enabled for this tenant.",
            PlanReason.Of(PlanReason.TenantAlwaysRequiresMfa, PlanReason.NoFactorEnabled))));
    }

    [Test]
    public void Plan_NoFactorEnabledWithRememberedBrowser_StillDenies()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("google-authenticator", allowRememberBrowser: true)) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Email] },
            HasRememberedBrowser = true,
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.TypeOf<FactorPlan.Deny>());
    }

    [Test]
    public void Plan_ChallengeWithRecoveryCodeOnly_DeniesAsItIsOnlyAFallback()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.RecoveryCode));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "The rules allowed only Recovery code, which is offered only as a fallback to another factor.",
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NoFactorEnabled)) { UnavailableFactors = [FactorType.RecoveryCode] }));
    }

    [Test]
    public void Plan_RecoveryCodeEnrolledAndEnabled_IsAllowedOnlyAsTheFallback()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.RecoveryCode, FactorType.Otp));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], RecoveryCodeAllowed: true, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_RecoveryCodeNotEnrolled_IsNotAllowed()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with { EnrolledFactors = [FactorType.Otp] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], RecoveryCodeAllowed: false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_RecoveryCodeNotEnabled_IsNotAllowed()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with
        {
            Settings = new TenantMfaSettings { EnabledFactors = [FactorType.Otp, FactorType.Email] },
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], RecoveryCodeAllowed: false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_UnknownEnrolledFactorType_IsIgnored()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with { EnrolledFactors = ["sms-legacy", FactorType.Email] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Email], false, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_AnyFactorForAUserWithNoFactor_NeverEnrollsDeviceBiometricsFirst()
    {
        var input = PolicyInputs.For(DecisionBuilder.Provider("any")) with { EnrolledFactors = [] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Enroll(
            [FactorType.WebAuthnRoaming, FactorType.PushNotification, FactorType.Otp, FactorType.Phone, FactorType.Email],
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NothingEnrolled))));
    }

    [Test]
    public void Plan_EnrollWithDeviceBiometricsForAUserWithNoFactor_DeniesNamingThem()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.WebAuthnPlatform)) with { EnrolledFactors = [] };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Deny(
            "access_denied", "The rules allowed only this device's fingerprint or face, which can be added only after another sign-in method.",
            PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.NoFirstFactor)) { UnavailableFactors = [FactorType.WebAuthnPlatform] }));
    }

    [Test]
    public void Plan_EnrollWithDeviceBiometricsForAUserWithOtp_ChallengesOtpThenEnrollsThem()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.WebAuthnPlatform));

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.Otp], RecoveryCodeAllowed: true,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.EnrollmentDemanded), PlanReason.ExistingFactorFirst))
        {
            ThenEnroll = [FactorType.WebAuthnPlatform],
        }));
    }

    [Test]
    public void Plan_ChallengeWithSecurityKeyForAUserWhoHasOne_ChallengesWithIt()
    {
        var input = PolicyInputs.For(DecisionBuilder.ChallengeWith(FactorType.WebAuthnRoaming)) with
        {
            EnrolledFactors = [FactorType.Otp, FactorType.WebAuthnRoaming, FactorType.RecoveryCode],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.WebAuthnRoaming], RecoveryCodeAllowed: true, PlanReason.RulesAskedForMfa)));
    }

    [Test]
    public void Plan_EnrollWithSecurityKeyForAUserWhoHasOne_ChallengesThenAddsAnother()
    {
        var input = PolicyInputs.For(DecisionBuilder.EnrollWith(FactorType.WebAuthnRoaming)) with
        {
            EnrolledFactors = [FactorType.WebAuthnRoaming, FactorType.RecoveryCode],
        };

        var plan = MfaPolicy.Plan(input);

        Assert.That(plan, Is.EqualTo(new FactorPlan.Challenge([FactorType.WebAuthnRoaming], RecoveryCodeAllowed: true,
            PlanReason.Of(PlanReason.Of(PlanReason.RulesAskedForMfa, PlanReason.EnrollmentDemanded), PlanReason.ExistingFactorFirst))
        {
            ThenEnroll = [FactorType.WebAuthnRoaming],
        }));
    }
}
