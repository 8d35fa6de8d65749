using BenchmarkDotNet.Attributes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks;

/// <summary>
/// The cost of deciding MFA for one login with the rules engine, against the same policy written in C#.
/// The login is fixed (<see cref="TypicalLogin"/>): an admin from an untrusted IP for whom every rule does
/// real work and the outcome is MFA. Each pipeline evaluation builds a fresh sandbox, as the engine does for
/// every login; rules are compiled once, in setup, as a tenant's saved rules are.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class PipelineBenchmarks
{
    private PlainCSharpPolicy policy = null!;
    private LoginFacts facts = null!;
    private RulePipeline tenRules = null!;
    private RulePipeline tenRulesWithoutBuiltinBounds = null!;
    private RulePipeline oneRule = null!;
    private RulePipeline tenEmptyRules = null!;
    private LoginContext login = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedTimeProvider(TypicalLogin.Now);
        var settings = new RulePipelineSettings { Configuration = TenRulePolicy.Configuration };
        var compiled = TenRulePolicy.CompileAll();

        // The comparison is only honest if both decide alike: on this login and on variants taking the other branches.
        PolicyEquivalence.Verify(compiled);

        var root = TypicalLogin.Parse();
        login = LoginContext.FromRulesView(root);
        facts = LoginFacts.FromRulesView(root);
        policy = new PlainCSharpPolicy(TenRulePolicy.Configuration, clock);
        tenRules = new RulePipeline(compiled, settings, clock);
        tenRulesWithoutBuiltinBounds = new RulePipeline(compiled,
            new RulePipelineSettings { Configuration = TenRulePolicy.Configuration, BuiltinBounds = false }, clock);
        oneRule = new RulePipeline([TenRulePolicy.CompileAdminRule()], settings, clock);
        tenEmptyRules = new RulePipeline(TenRulePolicy.CompileEmptyRules(), settings, clock);

        if (PlainCSharp().Outcome != DecisionOutcome.Mfa || TenRulePipeline().Outcome != DecisionOutcome.Mfa || OneRulePipeline().Outcome != DecisionOutcome.Mfa)
        {
            throw new InvalidOperationException("Every benchmark should decide MFA for the benchmark login.");
        }
    }

    [Benchmark(Baseline = true)]
    public PolicyDecision PlainCSharp() => policy.Evaluate(facts);

    [Benchmark]
    public MfaDecision TenRulePipeline() => tenRules.Evaluate(login);

    /// <summary>The same pipeline without issue 20's builtin bounds (RegExp, array searches, sort, concat, flat): their cost per login.</summary>
    [Benchmark]
    public MfaDecision TenRulePipelineWithoutBuiltinBounds() => tenRulesWithoutBuiltinBounds.Evaluate(login);

    [Benchmark]
    public MfaDecision OneRulePipeline() => oneRule.Evaluate(login);

    /// <summary>8 Rules and 2 Actions that only call back: what the sandbox itself costs per login, without rule work.</summary>
    [Benchmark]
    public MfaDecision TenEmptyRulesPipeline() => tenEmptyRules.Evaluate(login);
}
