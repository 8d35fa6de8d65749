using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Issue 17: a pooled engine makes each Rule's <c>callback</c> once, when it is prepared, and every login of the engine
/// is handed the same function object. A change to it is recorded like a change to the rule's own function: it takes
/// effect in the attacker's login, and the attacker's engine is discarded, on engines with and without frozen builtins.
/// </summary>
[Category("Hostile")]
public sealed class SharedCallbackLeakAttackTests
{
    [TestCase("callback.leak = user.email;", "callback.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.defineProperty(callback, 'name', { value: user.email });", "callback.name", "mallory@example.com", "callback")]
    [TestCase("Object.setPrototypeOf(callback, { leak: user.email });", "callback.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.preventExtensions(callback);", "Object.isExtensible(callback)", "false", "true")]
    public void CallbackChangedByOneLogin_IsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.WithoutModules(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
        PooledTenant.With(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }

    /// <summary>
    /// Only the first call of a run counts, on every login of the engine: each login's first call is taken, and its
    /// second call is ignored and logged.
    /// </summary>
    [Test]
    public void ReusedCallback_CountsTheFirstCallOfEachLogin()
    {
        var pipeline = new RulePipeline([Some.Rule("twice",
            """
            function (user, context, callback) {
              context.idToken['https://example.com/first'] = user.email;
              callback(null, user, context);
              callback(null, { email: 'second@example.com' }, context);
            }
            """)]);

        var decisions = Enumerable.Range(0, 3).Select(_ => pipeline.Evaluate(Some.Login())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(decision => decision.Outcome.ToString()), Is.All.EqualTo("Allow"));
            Assert.That(decisions.Select(decision => decision.Logs.Count(log => log.Message.Contains("callback was called more than once", StringComparison.Ordinal))),
                Is.All.EqualTo(1), "each login logs its own second call");
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1), "one engine served the three logins");
        });
    }
}
