using System.Net;
using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>Phone numbers as the factor reads, stores and shows them, and the addresses a webhook may reach.</summary>
public sealed class E164NumbersTests
{
    [TestCase("+1 (650) 253-0000", null, "+16502530000")]
    [TestCase("650 253 0000", "US", "+16502530000")]
    [TestCase("020 7031 3000", "GB", "+442070313000")]
    public void Parse_ValidNumber_IsE164(string typed, string? region, string expected) =>
        Assert.That(E164Numbers.Parse(typed, region), Is.EqualTo(new ParsedNumber(expected, null)));

    [TestCase("650 253 0000", null, "with its country code")]
    [TestCase("+1 555 0100", null, "not a valid phone number")]
    [TestCase("call me maybe", "US", "does not look like a phone number")]
    public void Parse_InvalidNumber_SaysWhatIsWrong(string typed, string? region, string expected)
    {
        var parsed = E164Numbers.Parse(typed, region);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.E164, Is.Null);
            Assert.That(parsed.Problem, Does.Contain(expected));
        });
    }

    [Test]
    public void Mask_ShowsTheLastTwoDigitsOnly() => Assert.That(E164Numbers.Mask("+16502530067"), Is.EqualTo("XXXXXXXX67"));

    [TestCase("127.0.0.1")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("0.0.0.0")]
    [TestCase("::1")]
    [TestCase("fd00::1")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:10.0.0.1")]
    public void IsPublic_InternalAddress_IsFalse(string address) => Assert.That(WebhookAddressGuard.IsPublic(IPAddress.Parse(address)), Is.False);

    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("2606:4700::1111")]
    public void IsPublic_PublicAddress_IsTrue(string address) => Assert.That(WebhookAddressGuard.IsPublic(IPAddress.Parse(address)), Is.True);
}
