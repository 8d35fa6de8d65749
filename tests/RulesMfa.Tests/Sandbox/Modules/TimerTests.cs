using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary><c>setTimeout</c> and friends: Node's order, no real waiting, bounded by the rule's time limit.</summary>
public sealed class TimerTests
{
    private static MfaDecision Run(string body) => Some.Decision(
        $$"""
        function (user, context, callback) {
          const order = [];
          {{body}}
        }
        """);

    [Test]
    public void SetTimeout_SeveralTimers_FireByDelayThenByCreationAfterPromiseJobs()
    {
        var decision = Run(
            """
            setTimeout(() => order.push('t20'), 20);
            setTimeout(() => order.push('t0'));
            setImmediate(() => order.push('immediate'));
            Promise.resolve().then(() => order.push('job'));
            setTimeout((a, b) => { order.push(a + b); context.idToken['https://x/order'] = order; callback(null, user, context); }, 30, 'arg', 's');
            """);

        Assert.That(decision.IdTokenClaims["https://x/order"]!.ToJsonString(), Is.EqualTo("""["job","t0","immediate","t20","args"]"""));
    }

    [Test]
    public void ClearTimeout_ClearedTimer_NeverFires()
    {
        var decision = Run(
            """
            const id = setTimeout(() => callback(new Error('should not fire')), 5);
            clearTimeout(id);
            setTimeout(() => callback(null, user, context), 10);
            """);

        Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
    }

    [Test]
    public void SetTimeout_DelayPastTheRulesTimeLimit_EndsAsATimeoutNotAnAllow()
    {
        var decision = Run("setTimeout(() => callback(null, user, context), 60000);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Timeout));
        });
    }

    [Test]
    public void SetTimeout_TimerThatRearmsItselfForever_IsStoppedByTheLimits()
    {
        var decision = Run("function again() { setTimeout(again, 0); } again();");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Rules[0].Status, Is.AnyOf(RuleStatus.Timeout, RuleStatus.Limit));
        });
    }

    [Test]
    public void SetTimeout_TimerOfOneRule_NeverFiresUnderTheNextRule()
    {
        var decision = Some.Decision(
            """
            function (user, context, callback) {
              setTimeout(() => { context.idToken['https://x/late'] = true; }, 100000);
              callback(null, user, context);
            }
            """,
            """
            function (user, context, callback) {
              callback(null, user, context);
            }
            """);

        Assert.That(decision.IdTokenClaims.ContainsKey("https://x/late"), Is.False);
    }
}
