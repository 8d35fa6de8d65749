using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>RulesOutputReader</c>, <c>ActionApi</c> and <c>ActionsAdapter</c>, from the
/// survivors of their Stryker run): an output too deep to convert stops the rule naming that output (40 levels: more
/// than the conversion reads, so the rule is stopped where it hands the value over, not by the check after it); a
/// custom claim set to <c>undefined</c> is withdrawn; an over-long redirect stops the Action at the call, so nothing
/// after it runs; and every Action sees the event as the Rules left it, not the metadata an earlier Action asked to
/// save (Auth0 saves those at the end of the trigger).
/// </summary>
public sealed class MutationAdapterOutputsTests
{
    private const string Deep = "let deep = 1; for (let i = 0; i < 40; i++) { deep = { deep }; }";

    [TestCase("context.idToken['https://x/deep'] = deep;", "ID token claims")]
    [TestCase("context.accessToken['https://x/deep'] = deep;", "access token claims")]
    [TestCase("context.multifactor = { provider: 'any', deep };", "multifactor request")]
    public void RuleOutputTooDeepToConvert_StopsTheRuleNamingTheOutput(string assignment, string output)
    {
        var decision = Some.Decision($"function (user, context, callback) {{ {Deep} {assignment} callback(null, user, context); }}");

        AssertStoppedForDepth(decision, $"Rule 'r1' made the {output} deeper than 32 levels.");
    }

    [TestCase("api.authentication.challengeWithAny([{ type: 'otp', options: deep }]);", "factor options")]
    [TestCase("api.idToken.setCustomClaim('https://x/deep', deep);", "ID token claims")]
    [TestCase("api.accessToken.setCustomClaim('https://x/deep', deep);", "access token claims")]
    public void ActionOutputTooDeepToConvert_StopsTheActionNamingTheOutput(string call, string output)
    {
        var decision = Some.Decision($"exports.onExecutePostLogin = async (event, api) => {{ {Deep} {call} }};");

        AssertStoppedForDepth(decision, $"Action 'r1' made the {output} deeper than 32 levels.");
    }

    /// <summary>As the token's JSON would leave it out (and a Rule's <c>context.idToken[k] = undefined</c> does).</summary>
    [TestCase("idToken")]
    [TestCase("accessToken")]
    public void CustomClaimSetToUndefined_WithdrawsTheEarlierValue(string token)
    {
        var decision = Some.Decision(
            $"exports.onExecutePostLogin = async (event, api) => {{ api.{token}.setCustomClaim('https://x/a', 1).{token}.setCustomClaim('https://x/b', 2).{token}.setCustomClaim('https://x/a', undefined); }};");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims.ToJsonString() + " " + decision.AccessTokenClaims.ToJsonString(),
                Is.EqualTo(token == "idToken" ? """{"https://x/b":2} {}""" : """{} {"https://x/b":2}"""));
        });
    }

    [Test]
    public void RedirectLongerOnceEscaped_StopsTheActionAtTheCall()
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Limits = { MaxOutputBytes = 1_024 } },
            "exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('https://example.com/v', { query: { p: ' '.repeat(400) } }); console.log('after the call'); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.OutputSize));
            Assert.That(decision.Logs, Is.EqualTo(new[] { new RuleLogEntry("r1", "error", "Action 'r1' made the redirect URL larger than 1,024 bytes.") }));
            Assert.That(decision.Redirect, Is.Null);
        });
    }

    [Test]
    public void EveryAction_SeesTheMetadataTheRulesSaved_AndNotAnEarlierActions()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { auth0.users.updateAppMetadata(user.user_id, { plan: 'pro' }).then(() => callback(null, user, context)); }",
            "exports.onExecutePostLogin = async (event, api) => { api.user.setAppMetadata('risk', 'high'); };",
            "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/seen', [event.user.app_metadata.plan, String(event.user.app_metadata.risk)].join()); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims["https://x/seen"]?.ToString(), Is.EqualTo("pro,undefined"));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("""{"plan":"pro","risk":"high"}"""));
        });
    }

    private static void AssertStoppedForDepth(MfaDecision decision, string description) => Assert.Multiple(() =>
    {
        Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.OutputDepth));
        Assert.That(decision.Error!.Description, Is.EqualTo(description));
    });
}
