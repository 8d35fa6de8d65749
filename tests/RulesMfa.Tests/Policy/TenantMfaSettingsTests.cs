using System.ComponentModel.DataAnnotations;
using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

public sealed class TenantMfaSettingsTests
{
    [Test]
    public void New_WithoutValues_HasTheDocumentedDefaults()
    {
        var settings = new TenantMfaSettings();

        Assert.Multiple(() =>
        {
            Assert.That(settings.EnabledFactors, Is.EqualTo(new[] { "otp", "email", "recovery-code" }));
            Assert.That(settings.AlwaysRequireMfa, Is.False);
            Assert.That(settings.HonorStepUp, Is.True);
        });
    }

    [Test]
    public void Validate_KnownFactors_Passes()
    {
        var settings = new TenantMfaSettings { EnabledFactors = [FactorType.WebAuthnRoaming, FactorType.Phone] };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.True);
            Assert.That(results, Is.Empty);
        });
    }

    [Test]
    public void Validate_UnknownFactor_FailsNamingIt()
    {
        var settings = new TenantMfaSettings { EnabledFactors = [FactorType.Otp, "sms"] };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.False);
            Assert.That(results.Single().ErrorMessage, Is.EqualTo(
                "Unknown factor type 'sms' in EnabledFactors; use one of webauthn-roaming, webauthn-platform, push-notification, otp, phone, email, duo, recovery-code."));
            Assert.That(results.Single().MemberNames, Is.EqualTo(new[] { "EnabledFactors" }));
        });
    }
}
