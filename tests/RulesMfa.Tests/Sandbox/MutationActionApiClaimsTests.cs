using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>ActionApi</c>), beside <see cref="MutationActionApiTests"/>: a custom claim set to
/// <c>undefined</c> withdraws the one set before, as the token's JSON would leave it out; and a claim too deep to
/// convert stops the Action naming the token it was meant for.
/// </summary>
public sealed class MutationActionApiClaimsTests
{
    [TestCase("idToken")]
    [TestCase("accessToken")]
    public void CustomClaimSetToUndefined_WithdrawsTheEarlierValue(string token)
    {
        var decision = Action($"api.{token}.setCustomClaim('https://x/a', 1).{token}.setCustomClaim('https://x/b', 2).{token}.setCustomClaim('https://x/a', undefined);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims.ToJsonString() + " " + decision.AccessTokenClaims.ToJsonString(),
                Is.EqualTo(token == "idToken" ? """{"https://x/b":2} {}""" : """{} {"https://x/b":2}"""));
        });
    }

    /// <summary>40 levels: more than the conversion reads (32), so the call itself stops the Action.</summary>
    [TestCase("idToken", "ID token claims")]
    [TestCase("accessToken", "access token claims")]
    public void CustomClaimTooDeepToConvert_StopsTheActionNamingItsToken(string token, string output)
    {
        var decision = Action($"let deep = 1; for (let i = 0; i < 40; i++) {{ deep = {{ deep }}; }} api.{token}.setCustomClaim('https://x/deep', deep);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.Error!.Description, Is.EqualTo($"Rule 'a1' made the {output} deeper than 32 levels."));
            Assert.That(decision.IdTokenClaims.ToJsonString() + decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("{}{}"));
        });
    }

    private static MfaDecision Action(string body) => new RulePipeline(
        [Some.Rule("a1", $"exports.onExecutePostLogin = async (event, api) => {{ {body} }};")], new RulePipelineSettings(), new FixedTimeProvider(Some.Now)).Evaluate(Some.Login());
}
