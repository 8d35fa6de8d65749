using System.Security.Cryptography;
using System.Text;
using RulesMfa.Engine.Factors;

namespace RulesMfa.Tests.Factors;

public sealed class EmailCodeTests
{
    private const string UserId = "rulesmfa|ada";

    [Test]
    public void Generate_ManyCodes_AreSixAsciiDigitsWithLeadingZerosKept()
    {
        var codes = Enumerable.Range(0, 2_000).Select(_ => EmailCode.Generate()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(codes, Has.All.Match("^[0-9]{6}$"));
            Assert.That(codes, Has.Some.StartsWith("0"), "about one code in ten starts with 0; none in 2,000 has odds of 10^-91");
            Assert.That(codes.Distinct().Count(), Is.GreaterThan(1_900), "codes are random");
        });
    }

    [TestCase("123456", "123456")]
    [TestCase("012345", "012345")]
    [TestCase("  123456\n", "123456")]
    [TestCase("123 456", "123456")]
    [TestCase("1 2 3 4 5 6", "123456")]
    [TestCase("\t000000 ", "000000")]
    public void Normalize_WellFormed_IsTheSixDigits(string typed, string expected)
    {
        var normalized = EmailCode.Normalize(typed);

        Assert.That(normalized, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase("123-456")]
    [TestCase("12345a")]
    [TestCase("١٢٣٤٥٦")]
    [TestCase("１２３４５６")]
    [TestCase("+12345")]
    public void Normalize_Malformed_IsNull(string? typed)
    {
        var normalized = EmailCode.Normalize(typed);

        Assert.That(normalized, Is.Null);
    }

    [Test]
    public void Normalize_VeryLongInput_IsNull()
    {
        var typed = new string(' ', 1_000) + "123456";

        var normalized = EmailCode.Normalize(typed);

        Assert.That(normalized, Is.Null);
    }

    [Test]
    public void Hash_Code_IsHexSha256OfUserIdColonCode()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("rulesmfa|ada:012345")));

        var hash = EmailCode.Hash(" 012 345 ", UserId);

        Assert.Multiple(() =>
        {
            Assert.That(hash, Is.EqualTo(expected));
            Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
        });
    }

    [Test]
    public void Hash_SameCodeOfTwoUsers_Differs()
    {
        var ada = EmailCode.Hash("123456", "rulesmfa|ada");

        var grace = EmailCode.Hash("123456", "rulesmfa|grace");

        Assert.That(grace, Is.Not.EqualTo(ada));
    }

    [Test]
    public void Hash_MalformedCode_Throws()
    {
        Assert.That(() => EmailCode.Hash("12345", UserId), Throws.ArgumentException);
    }

    [Test]
    public void Matches_SameCodeAsTyped_IsTrue()
    {
        var hash = EmailCode.Hash("123456", UserId);

        var matches = EmailCode.Matches(" 123 456 ", UserId, hash);

        Assert.That(matches, Is.True);
    }

    [Test]
    public void Matches_UpperCaseStoredHash_IsTrue()
    {
        var hash = EmailCode.Hash("123456", UserId).ToUpperInvariant();

        var matches = EmailCode.Matches("123456", UserId, hash);

        Assert.That(matches, Is.True);
    }

    [TestCase("123457")]
    [TestCase("654321")]
    [TestCase("12345")]
    [TestCase("")]
    [TestCase(null)]
    public void Matches_OtherOrMalformedCode_IsFalse(string? code)
    {
        var hash = EmailCode.Hash("123456", UserId);

        var matches = EmailCode.Matches(code, UserId, hash);

        Assert.That(matches, Is.False);
    }

    [Test]
    public void Matches_CodeOfAnotherUser_IsFalse()
    {
        var hash = EmailCode.Hash("123456", "rulesmfa|grace");

        var matches = EmailCode.Matches("123456", UserId, hash);

        Assert.That(matches, Is.False);
    }

    [TestCase("")]
    [TestCase("not hex")]
    [TestCase("abcd")]
    [TestCase("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Matches_MalformedStoredHash_IsFalse(string storedHash)
    {
        var matches = EmailCode.Matches("123456", UserId, storedHash);

        Assert.That(matches, Is.False);
    }

    [Test]
    public void Normalize_PaddedUpToTheInputLimit_IsTheCodeAndOneCharacterMoreIsNull()
    {
        var atLimit = "123456".PadLeft(64);

        Assert.Multiple(() =>
        {
            Assert.That(EmailCode.Normalize(atLimit), Is.EqualTo("123456"));
            Assert.That(EmailCode.Normalize(" " + atLimit), Is.Null);
        });
    }

    [Test]
    public void HashAndMatches_WithoutAUserIdOrStoredHash_ThrowNamingIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => EmailCode.Hash("123456", null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("userId"));
            Assert.That(() => EmailCode.Matches("123456", null!, new string('0', 64)), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("userId"));
            Assert.That(() => EmailCode.Matches("123456", UserId, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("storedHash"));
            Assert.That(() => EmailCode.Hash("12345", UserId), Throws.ArgumentException.With.Message.StartsWith("Not a well-formed email code."));
        });
    }
}
