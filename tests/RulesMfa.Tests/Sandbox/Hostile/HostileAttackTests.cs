using NUnit.Framework.Internal;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// The hostile suite's own verdict: an attack that ended in an internal error of the engine is not contained, even
/// though that error denies too, because it shows that the engine, not a protection, gave way.
/// </summary>
public sealed class HostileAttackTests
{
    [Test]
    public void AssertContained_AfterAnInternalErrorOfTheEngine_Fails()
    {
        var decision = DecisionAfterAnInternalError();

        MultipleAssertException? failure;
        using (new TestExecutionContext.IsolatedContext())
        {
            failure = Assert.Throws<MultipleAssertException>(() => HostileAttack.AssertContained(decision, new Stop(RuleStatus.Error)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(failure?.Message, Does.Contain("an internal error of the engine"));
            Assert.That(failure?.Message, Does.Not.Contain("expected one of").And.Not.Contain("denies"), "nothing else failed: the status matched, the login was denied");
        });
    }

    [Test]
    public void Thrown_WithTheInternalErrorsDescription_DoesNotMatch()
    {
        var decision = DecisionAfterAnInternalError();

        Assert.That(Stop.Thrown("binary data is limited").Matches(decision, decision.Rules[0]), Is.False);
    }

    /// <summary>The decision the pipeline builds when the evil rule's run ends in an exception of ours, classified as the sandbox does.</summary>
    private static MfaDecision DecisionAfterAnInternalError()
    {
        var rule = Some.Rule(HostileAttack.Id, HostileAttack.EvilRule(""));
        var outputs = new RuleOutputs(maxLogEntries: 100, maxLogMessageLength: 2_000);
        var stop = RuleFaults.Classify(new InvalidOperationException("a bug of ours"), rule, new SandboxLimits(), limitedByPipeline: false, outputs);
        RuleTrace Trace(string id, RuleStatus status) => new(id, id, rule.Kind, rule.VersionHash, status, 0);
        return MfaDecisionBuilder.Build(outputs,
            [Trace(HostileAttack.Id, stop.Status), Trace("normal-rule", RuleStatus.Skipped), Trace("normal-action", RuleStatus.Skipped)],
            stop, FailMode.Deny);
    }
}
