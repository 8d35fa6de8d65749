using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

/// <summary>Plans compare by every member, factor lists by their items, and print their lists' items.</summary>
public sealed class FactorPlanTests
{
    private static readonly FactorPlan.Challenge Challenge = new([FactorType.Otp], RecoveryCodeAllowed: true, PlanReason.RulesAskedForMfa)
    {
        ThenEnroll = [FactorType.Email, FactorType.Phone],
    };

    private static readonly FactorPlan.Deny Deny = new("access_denied", "No factor.", PlanReason.NoFactorEnabled)
    {
        UnavailableFactors = [FactorType.Phone, FactorType.Email],
    };

    [Test]
    public void Equals_ChallengesWithEqualLists_AreEqual()
    {
        var copy = new FactorPlan.Challenge([FactorType.Otp], true, PlanReason.RulesAskedForMfa) { ThenEnroll = [FactorType.Email, FactorType.Phone] };

        Assert.Multiple(() =>
        {
            Assert.That(copy, Is.EqualTo(Challenge));
            Assert.That(copy.GetHashCode(), Is.EqualTo(Challenge.GetHashCode()));
        });
    }

    [Test]
    public void Equals_ChallengesDifferingInOneMember_AreNotEqual()
    {
        FactorPlan.Challenge[] others =
        [
            Challenge with { Factors = [FactorType.Email] },
            Challenge with { RecoveryCodeAllowed = false },
            Challenge with { ThenEnroll = [] },
            Challenge with { Reason = PlanReason.StepUpRequested },
        ];

        Assert.That(others, Has.None.EqualTo(Challenge));
    }

    [Test]
    public void Equals_EnrollsDifferingInOneMember_AreNotEqual()
    {
        var enroll = new FactorPlan.Enroll([FactorType.Otp, FactorType.Email], PlanReason.NothingEnrolled);

        Assert.Multiple(() =>
        {
            Assert.That(new FactorPlan.Enroll([FactorType.Otp, FactorType.Email], PlanReason.NothingEnrolled), Is.EqualTo(enroll));
            Assert.That(enroll with { Factors = [FactorType.Email, FactorType.Otp] }, Is.Not.EqualTo(enroll));
            Assert.That(enroll with { Reason = PlanReason.EnrollmentDemanded }, Is.Not.EqualTo(enroll));
        });
    }

    [Test]
    public void Equals_DeniesDifferingInOneMember_AreNotEqual()
    {
        FactorPlan.Deny[] others =
        [
            Deny with { Code = "unauthorized" },
            Deny with { Description = "Another reason." },
            Deny with { UnavailableFactors = [] },
            Deny with { Reason = PlanReason.RulesDenied },
        ];

        Assert.Multiple(() =>
        {
            Assert.That(new FactorPlan.Deny("access_denied", "No factor.", PlanReason.NoFactorEnabled) { UnavailableFactors = [FactorType.Phone, FactorType.Email] }, Is.EqualTo(Deny));
            Assert.That(others, Has.None.EqualTo(Deny));
        });
    }

    [Test]
    public void ToString_EachPlan_ListsItsFactors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Challenge.ToString(), Is.EqualTo(
                "Challenge { Factors = [otp], RecoveryCodeAllowed = True, ThenEnroll = [email, phone], Reason = rules asked for MFA }"));
            Assert.That(new FactorPlan.Enroll([FactorType.Otp, FactorType.Email], "why").ToString(), Is.EqualTo("Enroll { Factors = [otp, email], Reason = why }"));
            Assert.That(Deny.ToString(), Is.EqualTo(
                $"Deny {{ Code = access_denied, Description = No factor., UnavailableFactors = [phone, email], Reason = {PlanReason.NoFactorEnabled} }}"));
            Assert.That((Deny with { UnavailableFactors = [] }).ToString(), Is.EqualTo(
                $"Deny {{ Code = access_denied, Description = No factor., Reason = {PlanReason.NoFactorEnabled} }}"));
        });
    }
}
