using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>Phone numbers as the factor reads, stores and shows them.</summary>
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
}
