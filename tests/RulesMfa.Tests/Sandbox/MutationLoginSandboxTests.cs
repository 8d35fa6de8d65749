using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>LoginSandbox</c>, <c>PromiseWatch</c> and the adapters), on pooled and fresh
/// engines: the built-ins that read the time see the pipeline's clock, and an Action that returns no promise has
/// ended when it returns.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class MutationLoginSandboxTests(bool freshEngine)
{
    private const string Claim = "https://x/seen";

    [Test]
    public void JwtSignedByARule_IsIssuedAtThePipelinesClock()
    {
        var decision = Decide(
            $"function (user, context, callback) {{ context.idToken['{Claim}'] = jwt.decode(jwt.sign({{ sub: 'a' }}, 'a secret of at least 32 bytes, for HS256')).iat; callback(null, user, context); }}");

        Assert.That(decision.IdTokenClaims[Claim]?.GetValue<double>(), Is.EqualTo(Some.Now.ToUnixTimeSeconds()));
    }

    [Test]
    public void ActionReturningNoPromise_HasEndedWhenItReturns()
    {
        var decision = Decide($"exports.onExecutePostLogin = (event, api) => {{ api.idToken.setCustomClaim('{Claim}', 'sync'); }};");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("sync"));
            Assert.That(decision.Logs, Is.Empty);
        });
    }

    private MfaDecision Decide(params string[] sources) =>
        Some.Decision(Some.Login(), new RulePipelineSettings { FreshEnginePerLogin = freshEngine }, sources);
}
