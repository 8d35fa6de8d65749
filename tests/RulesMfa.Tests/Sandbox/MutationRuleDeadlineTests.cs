using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>RuleDeadline</c>'s stack check): on a thread whose stack fills before the
/// recursion count (10,000 calls) is reached, the rule is stopped by the stack check with the recursion limit, and it
/// cannot catch that stop and recurse again: Jint's own stack guard throws a RangeError, which a rule can catch, so
/// without the check these rules would spin until the statement limit. In process on a thread of 1 MiB, so Stryker's
/// mutants reach the check (the hostile stack tests run in a child process).
/// </summary>
/// <remarks>
/// The rule catches inside the recursion and recurses again, so a statement runs with the stack nearly full whichever
/// guard sees it first. A rule that catches only at its top (<c>while (true) { try { down(); } catch (e) { } }</c>)
/// is not here: Jint's guard and the check test the same remaining stack, and which of them is reached first at the
/// brink depends on the JIT's frame sizes, so such a rule is stopped by the recursion limit or, retrying, by the memory
/// limit (both were seen in clean-clone runs).
/// </remarks>
public sealed class MutationRuleDeadlineTests
{
    [TestCase("function down() { try { down(); } catch (e) { down(); } } while (true) { try { down(); } catch (e) { } }")]
    public void StackFilledOnASmallThread_StopsTheRuleWithTheRecursionLimit_EvenWhenItCatches(string body)
    {
        var pipeline = Some.Pipeline(new RulePipelineSettings { Limits =
            {
                MaxRecursionDepth = 10_000, MaxStatements = 1_000_000,
                // About the stack, not time: a loaded machine's first deep recursion (JIT) can take seconds.
                RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10),
            } },
            $"function (user, context, callback) {{ {body} callback(null, user, context); }}");

        var decisions = Enumerable.Range(0, 2).Select(_ => OnASmallStack(() => pipeline.Evaluate(Some.Login()))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(decision => decision.Rules.Single().Limit), Is.All.EqualTo(SandboxLimit.Recursion));
            Assert.That(decisions.Select(decision => decision.Error!.Description), Is.All.EqualTo("Rule 'r1' nested calls deeper than 10,000 or the stack allows."));
        });
    }

    private static MfaDecision OnASmallStack(Func<MfaDecision> evaluate)
    {
        MfaDecision? decision = null;
        var thread = new Thread(() => decision = evaluate(), maxStackSize: 1 << 20);
        thread.Start();
        thread.Join();
        return decision!;
    }
}
