using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>RuleCallback</c> and <c>LoginSandbox</c>): what each argument of a Rule's
/// <c>callback</c> does, on a pooled engine (the callback made once per engine) and on a fresh engine per login
/// (made per run): <c>null</c> or <c>undefined</c> keeps the previous user or context silently, any other non-object
/// keeps it with a warning naming the argument, and only an error that is neither <c>null</c> nor <c>undefined</c> denies.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class MutationRuleCallbackTests(bool freshEngine)
{
    /// <summary>The next rule: a claim with the user's id and the context's client, read from what the first one left.</summary>
    private const string Reader =
        "function (user, context, callback) { context.idToken['https://x/seen'] = user.user_id + ' ' + context.clientID + ' ' + context.tag; callback(null, user, context); }";

    [TestCase("callback(null, 'oops', context);", "user")]
    [TestCase("callback(null, user, 42);", "context")]
    public void NonObjectArgument_KeepsThePreviousOne_AndWarnsNamingIt(string call, string argument)
    {
        var decision = Decide($"context.tag = 'kept'; {call}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims["https://x/seen"]?.ToString(), Is.EqualTo("auth0|64f1c0ffee client-web kept"));
            Assert.That(decision.Logs, Is.EqualTo(new[]
            {
                new RuleLogEntry("r1", "warn", $"callback's {argument} argument is not an object; the previous {argument} was kept"),
            }));
        });
    }

    [TestCase("callback(null, null, null);")]
    [TestCase("callback(undefined, undefined, undefined);")]
    [TestCase("callback();")]
    public void NullOrUndefinedArguments_KeepThePreviousOnes_Silently(string call)
    {
        var decision = Decide($"context.tag = 'kept'; {call}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.All.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims["https://x/seen"]?.ToString(), Is.EqualTo("auth0|64f1c0ffee client-web kept"));
            Assert.That(decision.Logs, Is.Empty);
        });
    }

    [Test]
    public void ReplacementObjects_AreCarriedToTheNextRule()
    {
        var decision = Decide("callback(null, { user_id: 'other' }, { clientID: 'other-client', tag: 'new', idToken: {} });");

        Assert.That(decision.IdTokenClaims["https://x/seen"]?.ToString(), Is.EqualTo("other other-client new"));
    }

    [TestCase("callback('denied by a string');", "access_denied", "denied by a string")]
    [TestCase("callback(new UnauthorizedError('not you'));", "unauthorized", "not you")]
    public void ErrorArgument_Denies(string call, string code, string description)
    {
        var decision = Decide(call);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError(code, description)));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Denied, RuleStatus.Skipped }));
        });
    }

    /// <summary>Each login's run of the rule starts uncalled: a login that calls back only later (from a timer) is not taken as called by the one before.</summary>
    [Test]
    public void EveryLogin_StartsWithTheCallbackUncalled()
    {
        var pipeline = new RulePipeline([Some.Rule("r1",
            "function (user, context, callback) { if (user.email === 'slow@example.com') { return; } callback(null, user, context); }")],
            new RulePipelineSettings { FreshEnginePerLogin = freshEngine }, new FixedTimeProvider(Some.Now));

        var called = pipeline.Evaluate(Some.Login());
        var neverCalled = pipeline.Evaluate(Some.Login(user: """{"email": "slow@example.com"}"""));

        Assert.Multiple(() =>
        {
            Assert.That(called.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(neverCalled.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' never called its callback.")));
        });
    }

    private MfaDecision Decide(string firstRuleBody) => Some.Decision(Some.Login(), new RulePipelineSettings { FreshEnginePerLogin = freshEngine },
        $"function (user, context, callback) {{ {firstRuleBody} }}", Reader);
}
