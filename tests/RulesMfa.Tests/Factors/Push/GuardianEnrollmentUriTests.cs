using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Tests.Factors.Push;

/// <summary>The enrollment URI in Guardian's shape, read back by the companion device, with clear errors for other links.</summary>
public sealed class GuardianEnrollmentUriTests
{
    [Test]
    public void ToString_ThenParse_GivesTheSameEnrollment()
    {
        var uri = new GuardianEnrollmentUri("Acme Inc.", "ana+mfa@example.com", "JBSWY3DPEHPK3PXP", "t/k=", "dev_1", "https://login.example.com/acme");

        var text = uri.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("otpauth://totp/Acme%20Inc.%3Aana%2Bmfa%40example.com?secret=JBSWY3DPEHPK3PXP&enrollment_tx_id=t%2Fk%3D&issuer=Acme%20Inc.&id=dev_1"
                + "&base_url=https%3A%2F%2Flogin.example.com%2Facme&algorithm=sha1&digits=6&period=30"));
            Assert.That(GuardianEnrollmentUri.Parse(text), Is.EqualTo(uri));
        });
    }

    [TestCase("https://example.com", "it is not an otpauth://totp/ enrollment URI")]
    [TestCase("otpauth://totp/Acme:ana?secret=JBSWY3DPEHPK3PXP&issuer=Acme", "it has no enrollment_tx_id: scan the push enrollment code, not an authenticator app's")]
    [TestCase("otpauth://totp/A:a?secret=S&enrollment_tx_id=t&id=d&base_url=ftp%3A%2F%2Fx", "its base_url 'ftp://x' is not an http or https URL")]
    [TestCase("otpauth://totp/A:a?secret=S&enrollment_tx_id=t&id=d&base_url=http%3A%2F%2Fx&digits=8", "it asks for codes other than 6 digits every 30 seconds with SHA-1")]
    public void Parse_AnotherLink_SaysWhatIsWrong(string text, string message) =>
        Assert.That(Assert.Throws<FormatException>(() => GuardianEnrollmentUri.Parse(text))!.Message, Is.EqualTo(message));
}
