using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Decisions;

public sealed class MfaDecisionJsonTests
{
    [Test]
    public void Serialize_AllowDecision_HasEveryFieldInDesignOrder()
    {
        var decision = Some.Decision("function (user, context, callback) { callback(null, user, context); }");

        var json = JsonNode.Parse(MfaDecisionJson.Serialize(decision))!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(json.Select(pair => pair.Key), Is.EqualTo(new[]
            {
                "outcome", "multifactor", "factors", "enroll", "allowRememberBrowser", "error", "idTokenClaims",
                "accessTokenClaims", "appMetadata", "userMetadata", "redirect", "logs", "rules",
            }));
            Assert.That(json["outcome"]!.GetValue<string>(), Is.EqualTo("allow"));
            Assert.That(json["multifactor"], Is.Null);
            Assert.That(json["error"], Is.Null);
            Assert.That(json["rules"]![0]!.AsObject().Select(pair => pair.Key),
                Is.EqualTo(new[] { "id", "name", "kind", "versionHash", "status", "durationMs" }));
            Assert.That(json["rules"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("rule"));
        });
    }

    [Test]
    public void Serialize_LimitFault_WritesStatusAndLimitInLowerCase()
    {
        var settings = new RulesMfa.Engine.Evaluation.RulePipelineSettings { Limits = { MaxArraySize = 1024 } };
        var decision = Some.Decision(Some.Login(), settings, "function (user, context, callback) { new Array(5000).fill(0); callback(null, user, context); }");

        var trace = JsonNode.Parse(MfaDecisionJson.Serialize(decision))!["rules"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That(trace["status"]!.GetValue<string>(), Is.EqualTo("limit"));
            Assert.That(trace["limit"]!.GetValue<string>(), Is.EqualTo("array-size"));
        });
    }

    [Test]
    public void Serialize_DeniedDecision_WritesTheError()
    {
        var decision = Some.Decision("function (user, context, callback) { callback(new UnauthorizedError('It\\'s \"blocked\"')); }");

        var text = MfaDecisionJson.Serialize(decision);

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(text)!["outcome"]!.GetValue<string>(), Is.EqualTo("deny"));
            Assert.That(text, Does.Contain("""
                "error":{"code":"unauthorized","description":"It's \"blocked\""}
                """), "readable, not \\u-escaped");
        });
    }

    [TestCase("sub", true)]
    [TestCase("jti", true)]
    [TestCase("rulesmfa_mfa_at", true)]
    [TestCase("oi_scp", true)]
    [TestCase("AMR", true)]
    [TestCase("RULESMFA_MFA_AT", true)]
    [TestCase("Oi_Scp", true)]
    [TestCase("https://example.com/rulesmfa_mfa_at", false)]
    [TestCase("https://example.com/sub", false)]
    [TestCase("email", false)]
    public void ReservedClaims_KnowsTheProviderOwnedNames(string claim, bool reserved)
    {
        Assert.That(ReservedClaims.Contains(claim), Is.EqualTo(reserved));
    }
}
