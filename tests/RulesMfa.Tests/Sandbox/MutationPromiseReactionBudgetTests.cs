using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>PromiseReactionBudget</c>): the budget counts the reactions a rule registers
/// (one per <c>then</c> of a fulfilled promise, whether it was given one handler or two), allows exactly <c>MaxPromiseReactions</c>, stops the rule at one more with
/// a limit naming the rule and the budget, and starts again at zero for each rule of the login. The hostile tests of
/// the budget (<c>CpuAttackTests</c>) run floods far past it.
/// </summary>
public sealed class MutationPromiseReactionBudgetTests
{
    private const string Claim = "https://example.com/reactions";

    [TestCase(100, "p.then(() => {})")]
    [TestCase(100, "p.then(() => {}, () => {})")]
    public void ReactionsUpToTheBudget_AreAllowed(int count, string registration)
    {
        var decision = Pipeline(Registering(count, registration)).Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo($"{count} registered, all ran"));
        });
    }

    [TestCase(101, "p.then(() => {})")]
    [TestCase(101, "p.then(() => {}, () => {})")]
    [TestCase(1_000, "p.then(() => {})")]
    public void OneReactionOverTheBudget_StopsTheRule(int count, string registration)
    {
        var decision = Pipeline(Registering(count, registration)).Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.PromiseReactions));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' registered more than 100 promise reactions."));
            Assert.That(decision.IdTokenClaims.ContainsKey(Claim), Is.False);
        });
    }

    [Test]
    public void EachRuleOfALogin_HasTheWholeBudget()
    {
        var decision = Pipeline(Registering(60, "p.then(() => {})"), Registering(60, "p.then(() => {})"), Registering(100, "p.then(() => {})"))
            .Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.All.EqualTo(RuleStatus.Ok));
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("100 registered, all ran"));
        });
    }

    [Test]
    public void EachLoginOnAReusedEngine_HasTheWholeBudget()
    {
        var pipeline = Pipeline(Registering(100, "p.then(() => {})"));

        var decisions = Enumerable.Range(0, 3).Select(_ => pipeline.Evaluate(Some.Login())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(decision => decision.IdTokenClaims[Claim]?.ToString()), Is.All.EqualTo("100 registered, all ran"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1));
        });
    }

    private static RulePipeline Pipeline(params string[] sources) =>
        Some.Pipeline(new RulePipelineSettings { Limits = { MaxPromiseReactions = 100 } }, sources);

    /// <summary>A rule that registers <paramref name="count"/> times on a settled promise, then (after they ran) claims how many ran.</summary>
    private static string Registering(int count, string registration) =>
        $$"""
        function (user, context, callback) {
          const p = Promise.resolve();
          let ran = 0;
          for (let i = 0; i < {{count}}; i++) { {{registration.Replace("() => {}", "() => { ran++; }", StringComparison.Ordinal)}}; }
          setTimeout(() => { context.idToken['{{Claim}}'] = '{{count}} registered, ' + (ran === {{count}} ? 'all ran' : ran + ' ran'); callback(null, user, context); }, 0);
        }
        """;
}
