using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors;

/// <summary>The factor seam: what is registered, and what the tenant's settings may name.</summary>
public sealed class FactorSeamTests
{
    private static readonly MfaFactors Registered = new ServiceCollection().AddMfaFactors().BuildServiceProvider().GetRequiredService<MfaFactors>();

    [Test]
    public void AddMfaFactors_RegistersEachServedTypeOnceWithItsPartsAndWords()
    {
        var types = Registered.All.Select(factor => factor.Type).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(types, Is.EqualTo(new[] { FactorType.Otp, FactorType.Phone, FactorType.Email, FactorType.RecoveryCode, FactorType.WebAuthnRoaming, FactorType.WebAuthnPlatform, FactorType.PushNotification }));
            foreach (var factor in Registered.All)
            {
                Assert.That(FactorType.IsKnown(factor.Type), Is.True, factor.Type);
                Assert.That(factor.DisplayName, Is.Not.EqualTo(FactorType.DisplayNameOf("unknown")).And.Not.Contains(factor.Type), factor.Type);
                foreach (var part in new[] { factor.ChallengePart, factor.EnrollPart }.OfType<string>())
                {
                    Assert.That(File.Exists(Path.Combine(RepositoryPaths.Root, "host", part.TrimStart('/'))), Is.True, $"{factor.Type}: {part}");
                }
            }
        });
    }

    [Test]
    public void ProblemWith_ServedFactors_IsNone() =>
        Assert.That(Registered.ProblemWith(FactorType.All), Is.Null);

    [TestCase("sms")]
    public void ProblemWith_AFactorNoneServes_NamesIt(string type) =>
        Assert.That(Registered.ProblemWith([FactorType.Otp, type]), Does.StartWith($"'{type}' is not a factor this server serves"));

    [Test]
    public void ProblemWith_OnlyDeviceBiometricsAndRecoveryCodes_SaysAFirstFactorIsNeeded() =>
        Assert.That(Registered.ProblemWith([FactorType.WebAuthnPlatform, FactorType.RecoveryCode]), Does.StartWith("enable at least one factor a user can enroll first"));

    [Test]
    public void ProblemWith_Nothing_SaysAFirstFactorIsNeeded() =>
        Assert.That(Registered.ProblemWith([]), Does.StartWith("enable at least one factor a user can enroll first"));

    [Test]
    public void DisplayNameOf_ATypeNoFactorServes_IsStillWords() =>
        Assert.That(Registered.DisplayNameOf("sms"), Is.EqualTo("An unknown method"));
}
