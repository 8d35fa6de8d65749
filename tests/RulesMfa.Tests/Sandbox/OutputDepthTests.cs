using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Finding 10 of issue 11: a rule saving 63-level-deep metadata made that user's logins and the decision log fail.
/// Claims and metadata patches may nest at most 32 levels; deeper is a limit fault of the rule that names the rule,
/// the output and the limit, the tenant's fail mode applies, and the output is never kept.
/// </summary>
public sealed class OutputDepthTests
{
    /// <summary>A JavaScript expression building an object nested <paramref name="levels"/> levels ({} is one).</summary>
    private static string Nested(int levels) => $"(() => {{ let value = {{}}; for (let i = 1; i < {levels}; i++) {{ value = {{ a: value }}; }} return value; }})()";

    private static MfaDecision Rule(string body, FailMode failMode = FailMode.Deny) => Some.Decision(Some.Login(),
        new RulePipelineSettings { FailMode = failMode }, $"function (user, context, callback) {{ {body} }}");

    private static MfaDecision Action(string body) =>
        Some.Decision(Some.Login(), new RulePipelineSettings(), $"exports.onExecutePostLogin = async (event, api) => {{ {body} }};");

    [Test]
    public void MetadataPatchOfThe32Levels_IsKept()
    {
        var decision = Rule($"auth0.users.updateUserMetadata(user.user_id, {Nested(32)}).then(() => callback(null, user, context));");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(JsonNesting.LevelsOf(decision.UserMetadata), Is.EqualTo(32));
        });
    }

    [TestCase(33)]
    [TestCase(63)]
    [TestCase(200)]
    public void MetadataPatchDeeperThan32Levels_IsALimitFaultAndIsNotKept(int levels)
    {
        var decision = Rule($"auth0.users.updateUserMetadata(user.user_id, {Nested(levels)}).then(() => callback(null, user, context));");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny), "the default fail mode");
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' made the user_metadata patch deeper than 32 levels."));
            Assert.That(decision.UserMetadata, Is.Empty);
        });
    }

    [Test]
    public void DepthFault_CannotBeCaughtByTheRule()
    {
        var decision = Rule($"try {{ auth0.users.updateAppMetadata(user.user_id, {Nested(40)}); }} catch (e) {{ }} callback(null, user, context);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' made the app_metadata patch deeper than 32 levels."));
            Assert.That(decision.AppMetadata, Is.Empty);
        });
    }

    [Test]
    public void DepthFault_WithFailModeRequireMfa_RequiresMfa()
    {
        var decision = Rule($"auth0.users.updateUserMetadata(user.user_id, {Nested(40)}).then(() => callback(null, user, context));", FailMode.RequireMfa);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.UserMetadata, Is.Empty);
        });
    }

    /// <summary>A value of 32 levels is within the limit, but nested under its name it makes the output 33 levels deep.</summary>
    [TestCase("context.idToken['https://x/deep'] = {0}; callback(null, user, context);", "ID token claims", true)]
    [TestCase("context.accessToken['https://x/deep'] = {0}; callback(null, user, context);", "access token claims", true)]
    [TestCase("api.user.setUserMetadata('deep', {0});", "user_metadata patch", false)]
    [TestCase("api.user.setAppMetadata('deep', {0});", "app_metadata patch", false)]
    [TestCase("api.idToken.setCustomClaim('https://x/deep', {0});", "ID token claims", false)]
    public void OutputNestedOneLevelUnderItsName_CountsThatLevel(string body, string output, bool isRule)
    {
        var source = string.Format(System.Globalization.CultureInfo.InvariantCulture, body, Nested(32));

        var decision = isRule ? Rule(source) : Action(source);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.Error!.Description, Is.EqualTo($"{(isRule ? "Rule" : "Action")} 'r1' made the {output} deeper than 32 levels."));
            Assert.That(new[] { decision.IdTokenClaims, decision.AccessTokenClaims, decision.AppMetadata, decision.UserMetadata }, Has.All.Empty);
        });
    }

    [Test]
    public void TwoOutputsTooDeep_AreBothDropped()
    {
        var decision = Action($"api.idToken.setCustomClaim('https://x/deep', {Nested(32)}); api.user.setUserMetadata('deep', {Nested(32)});");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error!.Description, Is.EqualTo("Action 'r1' made the ID token claims deeper than 32 levels."), "the first is named");
            Assert.That(decision.IdTokenClaims, Is.Empty);
            Assert.That(decision.UserMetadata, Is.Empty, "the second is dropped too, never saved");
        });
    }
}
