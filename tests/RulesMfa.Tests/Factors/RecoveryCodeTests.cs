using System.Security.Cryptography;
using System.Text;
using RulesMfa.Engine.Factors;

namespace RulesMfa.Tests.Factors;

public sealed class RecoveryCodeTests
{
    private const string Sample = "ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2";

    [Test]
    public void Alphabet_Always_IsUpperCaseLettersAndDigitsWithoutLookAlikes()
    {
        var expected = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".Except("0OI1L").Order();

        var alphabet = RecoveryCode.Alphabet;

        Assert.Multiple(() =>
        {
            Assert.That(alphabet.Order(), Is.EqualTo(expected));
            Assert.That(alphabet, Has.Length.EqualTo(31));
            Assert.That(alphabet.Distinct().Count(), Is.EqualTo(alphabet.Length));
        });
    }

    [Test]
    public void Entropy_FromAlphabetSizeAndLength_IsAtLeast112Bits()
    {
        var bits = RecoveryCode.Length * Math.Log2(RecoveryCode.Alphabet.Length);

        Assert.That(bits, Is.GreaterThanOrEqualTo(112).And.EqualTo(118.9).Within(0.05));
    }

    [Test]
    public void Generate_Always_Gives24AlphabetCharactersInGroupsOfFour()
    {
        var code = RecoveryCode.Generate();

        var characters = code.Replace("-", "", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(code, Does.Match("^[A-Z0-9]{4}(-[A-Z0-9]{4}){5}$"));
            Assert.That(characters, Has.Length.EqualTo(24));
            Assert.That(characters.All(c => RecoveryCode.Alphabet.Contains(c)), Is.True, code);
        });
    }

    [Test]
    public void Generate_TenThousandCodes_AreAllDistinctAndUseOnlyTheAlphabet()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => RecoveryCode.Generate()).ToList();

        var characters = codes.SelectMany(code => code.Replace("-", "", StringComparison.Ordinal)).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(codes.Distinct().Count(), Is.EqualTo(codes.Count));
            Assert.That(characters, Is.EquivalentTo(RecoveryCode.Alphabet));
        });
    }

    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2")]
    [TestCase("ABCDEFGHJKMNPQRSTUVWXYZ2")]
    [TestCase("abcd-efgh-jkmn-pqrs-tuvw-xyz2")]
    [TestCase("abcd efgh jkmn pqrs tuvw xyz2")]
    [TestCase("  AbCd-EfGh JKMN--pqrs\ttuvw-XYZ2 \n")]
    public void Normalize_WithSeparatorsOrLowerCase_GivesTheCanonicalCode(string typed)
    {
        var normalized = RecoveryCode.Normalize(typed);

        Assert.That(normalized, Is.EqualTo("ABCDEFGHJKMNPQRSTUVWXYZ2"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ22")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ0")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZO")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZI")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ1")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZl")]
    [TestCase("ABCD_EFGH_JKMN_PQRS_TUVW_XYZ2")]
    [TestCase("ÅBCD-EFGH-JKMN-PQRS-TUVW-XYZ2")]
    public void Normalize_Malformed_GivesNull(string? typed)
    {
        var normalized = RecoveryCode.Normalize(typed);

        Assert.That(normalized, Is.Null);
    }

    [Test]
    public void Hash_Always_IsSha256OfTheNormalisedCodeInLowerCaseHex()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("ABCDEFGHJKMNPQRSTUVWXYZ2")));

        var hash = RecoveryCode.Hash(Sample);

        Assert.Multiple(() =>
        {
            Assert.That(hash, Is.EqualTo(expected));
            Assert.That(hash, Does.Match("^[0-9a-f]{64}$"));
        });
    }

    [Test]
    public void Hash_DisplayedAndTypedForms_AreEqual()
    {
        var code = RecoveryCode.Generate();

        var typed = RecoveryCode.Hash(code.Replace('-', ' ').ToLowerInvariant());

        Assert.That(typed, Is.EqualTo(RecoveryCode.Hash(code)));
    }

    [Test]
    public void Hash_MalformedCode_Throws()
    {
        Assert.Throws<ArgumentException>(() => RecoveryCode.Hash("not a code"));
    }

    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2")]
    [TestCase("abcdefghjkmnpqrstuvwxyz2")]
    [TestCase(" abcd efgh jkmn pqrs tuvw xyz2 ")]
    public void Matches_SameCodeTypedAnyWay_IsTrue(string typed)
    {
        var stored = RecoveryCode.Hash(Sample);

        var matches = RecoveryCode.Matches(typed, stored);

        Assert.That(matches, Is.True);
    }

    [Test]
    public void Matches_StoredHashInUpperCaseHex_IsTrue()
    {
        var stored = RecoveryCode.Hash(Sample).ToUpperInvariant();

        var matches = RecoveryCode.Matches(Sample, stored);

        Assert.That(matches, Is.True);
    }

    [Test]
    public void Matches_GeneratedCode_MatchesItsOwnHashOnly()
    {
        var code = RecoveryCode.Generate();
        var other = RecoveryCode.Generate();
        var stored = RecoveryCode.Hash(code);

        var own = RecoveryCode.Matches(code, stored);
        var foreign = RecoveryCode.Matches(other, stored);

        Assert.Multiple(() =>
        {
            Assert.That(own, Is.True);
            Assert.That(foreign, Is.False);
        });
    }

    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ3")]
    [TestCase("BACD-EFGH-JKMN-PQRS-TUVW-XYZ2")]
    [TestCase("ABCD-EFGH-JKMN-PQRS-TUVW-XYZ")]
    [TestCase("")]
    [TestCase(null)]
    public void Matches_DifferentOrMalformedCode_IsFalse(string? typed)
    {
        var stored = RecoveryCode.Hash(Sample);

        var matches = RecoveryCode.Matches(typed, stored);

        Assert.That(matches, Is.False);
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("zz3c1e7e8e0d8b0f5b8e8a8d0f9c6b1a2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b")]
    public void Matches_MalformedStoredHash_IsFalse(string stored)
    {
        var matches = RecoveryCode.Matches(Sample, stored);

        Assert.That(matches, Is.False);
    }

    [Test]
    public void Matches_StoredHashOfTheRawCodeWithDashes_IsFalse()
    {
        var unnormalised = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Sample)));

        var matches = RecoveryCode.Matches(Sample, unnormalised);

        Assert.That(matches, Is.False);
    }

    [Test]
    public void Normalize_PaddedUpToTheInputLimit_IsTheCodeAndOneCharacterMoreIsNull()
    {
        var atLimit = Sample.PadLeft(RecoveryCode.Length * 3, '-');

        Assert.Multiple(() =>
        {
            Assert.That(RecoveryCode.Normalize(atLimit), Is.EqualTo(Sample.Replace("-", "")));
            Assert.That(RecoveryCode.Normalize("-" + atLimit), Is.Null);
        });
    }

    [Test]
    public void HashAndMatches_MalformedCodeOrNoStoredHash_ThrowNamingIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => RecoveryCode.Hash("ABCD"), Throws.ArgumentException.With.Message.StartsWith("Not a well-formed recovery code."));
            Assert.That(() => RecoveryCode.Matches(Sample, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("storedHash"));
        });
    }
}
