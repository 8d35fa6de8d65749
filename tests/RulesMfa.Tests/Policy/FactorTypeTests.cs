using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

public sealed class FactorTypeTests
{
    [Test]
    public void Constants_SpellEveryActionsFactorType()
    {
        string[] constants =
        [
            FactorType.WebAuthnRoaming, FactorType.WebAuthnPlatform, FactorType.PushNotification, FactorType.Otp,
            FactorType.Phone, FactorType.Email, FactorType.Duo, FactorType.RecoveryCode,
        ];

        Assert.That(constants, Is.EquivalentTo(FactorType.All));
    }

    [Test]
    public void OfferableBySecurity_MixedTypes_OrdersMostSecureFirstWithoutRecoveryCodeOrUnknowns()
    {
        string[] types = ["email", "recovery-code", "otp", "webauthn-roaming", "yubico-otp", "otp", "phone", "push-notification", "webauthn-platform"];

        var ordered = FactorType.OfferableBySecurity(types);

        Assert.That(ordered, Is.EqualTo(new[] { "webauthn-roaming", "webauthn-platform", "push-notification", "otp", "phone", "email" }));
    }

    [Test]
    public void DisplayNameOf_EveryType_IsItsOwnWords()
    {
        var names = FactorType.All.Select(FactorType.DisplayNameOf).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.Unique);
            Assert.That(names, Has.None.Empty);
            Assert.That(names, Has.No.Member(FactorType.DisplayNameOf("sms")));
            Assert.That(FactorType.DisplayNameOf("sms"), Is.EqualTo("An unknown method"));
            Assert.That(FactorType.DisplayNameOf(FactorType.WebAuthnPlatform), Is.EqualTo("This device's fingerprint or face"));
        });
    }
}
