using System.Text.Json.Nodes;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Tests.Testing;

public sealed class ExpectationMatcherTests
{
    private static IReadOnlyList<string> Compare(string expected, string actual) =>
        ExpectationMatcher.Compare(JsonNode.Parse(expected), JsonNode.Parse(actual));

    [Test]
    public void Compare_ObjectSubset_Matches()
    {
        Assert.That(Compare("""{"a": {"b": 1}}""", """{"a": {"b": 1.0, "c": 2}, "d": 3}"""), Is.Empty);
    }

    [Test]
    public void Compare_MissingKey_IsReportedWithItsPath()
    {
        Assert.That(Compare("""{"a": {"b": 1}}""", """{"a": {}}"""), Is.EqualTo(new[] { "a.b: expected 1, but it is missing" }));
    }

    [Test]
    public void Compare_ArrayOfDifferentLength_IsReported()
    {
        Assert.That(Compare("""{"factors": ["otp"]}""", """{"factors": ["otp", "email"]}"""),
            Is.EqualTo(new[] { """factors: expected ["otp"], got ["otp","email"]""" }));
    }

    [Test]
    public void Compare_ObjectsInsideArrays_MatchBySubset()
    {
        Assert.That(Compare("""{"logs": [{"rule": "r1"}]}""", """{"logs": [{"rule": "r1", "level": "info", "message": "m"}]}"""), Is.Empty);
    }

    [Test]
    public void Compare_ScalarMismatchAndNull_AreReported()
    {
        Assert.That(Compare("""{"outcome": "mfa", "error": null}""", """{"outcome": "allow", "error": {"code": "x"}}"""),
            Is.EqualTo(new[] { """outcome: expected "mfa", got "allow" """.TrimEnd(), """error: expected null, got {"code":"x"}""" }));
    }

    [Test]
    public void Compare_ExpectedNull_MatchesAMissingKeyButNotAValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Compare("""{"appMetadata": {"country": null}}""", """{"appMetadata": {}}"""), Is.Empty);
            Assert.That(Compare("""{"appMetadata": {"country": null}}""", """{"appMetadata": {"country": "NL"}}"""),
                Is.EqualTo(new[] { """appMetadata.country: expected null, got "NL" """.TrimEnd() }));
        });
    }
}
