using System.Reflection;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks.NodeVm;

/// <summary>
/// Issue 17's comparison, side by side in one run: the ten Rules of rules-samples on
/// rules-samples/logins/admin-outside-office.json with its configuration, on RulesMfa with a pooled engine and with a
/// fresh engine per login, and on Node.js vm (vm-bench.js, launched by setup) with a fresh context per login and with
/// one reused context; beside them the ten-rule policy of PipelineBenchmarks (8 Rules, 2 Actions) pooled and fresh,
/// and its hand-written C# equivalent. Setup checks that every side decides the same MFA request. A Node.js row runs
/// <see cref="NodeLoginsPerInvoke"/> logins per request, so the pipe's round trip is spread over them.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(Percentile95))]
public class NodeVmBenchmarks
{
    public const int NodeLoginsPerInvoke = 200;

    private RulePipeline samplesPooled = null!;
    private RulePipeline samplesFresh = null!;
    private LoginContext samplesLogin = null!;
    private NodeVmProcess node = null!;
    private RulePipeline policyPooled = null!;
    private RulePipeline policyFresh = null!;
    private LoginContext policyLogin = null!;
    private PlainCSharpPolicy plain = null!;
    private LoginFacts facts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = RepositoryRoot();
        var samples = new SamplesLogin(root);
        samplesLogin = samples.Login;
        samplesPooled = samples.Pipeline();
        samplesFresh = samples.Pipeline(freshEnginePerLogin: true);
        node = new NodeVmProcess(Path.Combine(root, "tests", "RulesMfa.Benchmarks", "NodeVm", "vm-bench.js"), samples.Folder, samples.LoginFile, samples.ConfigurationFile, SamplesLogin.Now);

        var policyClock = new FixedTimeProvider(TypicalLogin.Now);
        var policy = TenRulePolicy.CompileAll();
        PolicyEquivalence.Verify(policy);
        var typical = TypicalLogin.Parse();
        policyLogin = LoginContext.FromRulesView(typical);
        facts = LoginFacts.FromRulesView(typical);
        plain = new PlainCSharpPolicy(TenRulePolicy.Configuration, policyClock);
        policyPooled = new RulePipeline(policy, new RulePipelineSettings { Configuration = TenRulePolicy.Configuration }, policyClock);
        policyFresh = new RulePipeline(policy, new RulePipelineSettings { Configuration = TenRulePolicy.Configuration, FreshEnginePerLogin = true }, policyClock);

        VerifyAlike();
    }

    [GlobalCleanup]
    public void Cleanup() => node.Dispose();

    [Benchmark(Baseline = true)]
    public PolicyDecision PlainCSharp() => plain.Evaluate(facts);

    [Benchmark]
    public MfaDecision TenRulePolicyPooled() => policyPooled.Evaluate(policyLogin);

    [Benchmark]
    public MfaDecision TenRulePolicyFresh() => policyFresh.Evaluate(policyLogin);

    [Benchmark]
    public MfaDecision SamplesPooled() => samplesPooled.Evaluate(samplesLogin);

    [Benchmark]
    public MfaDecision SamplesFresh() => samplesFresh.Evaluate(samplesLogin);

    [Benchmark(OperationsPerInvoke = NodeLoginsPerInvoke)]
    public JsonObject SamplesNodeVmFreshContext() => node.Run(fresh: true, NodeLoginsPerInvoke);

    [Benchmark(OperationsPerInvoke = NodeLoginsPerInvoke)]
    public JsonObject SamplesNodeVmReusedContext() => node.Run(fresh: false, NodeLoginsPerInvoke);

    /// <summary>The comparison is only fair if every side makes the same decision.</summary>
    private void VerifyAlike()
    {
        var expected = Summary(samplesFresh.Evaluate(samplesLogin));
        string[] actual =
        [
            Summary(samplesPooled.Evaluate(samplesLogin)), Summary(samplesPooled.Evaluate(samplesLogin)),
            Summary(node.Run(fresh: true, 1)), Summary(node.Run(fresh: false, 2)),
        ];
        if (!expected.StartsWith("mfa ", StringComparison.Ordinal) || actual.Any(summary => summary != expected))
        {
            throw new InvalidOperationException($"The sides decide differently: RulesMfa fresh {expected}; pooled, pooled again, Node fresh, Node reused: {string.Join("; ", actual)}");
        }

        if (policyPooled.Evaluate(policyLogin).Outcome != DecisionOutcome.Mfa || policyFresh.Evaluate(policyLogin).Outcome != DecisionOutcome.Mfa)
        {
            throw new InvalidOperationException("The ten-rule policy should decide MFA for its benchmark login.");
        }
    }

    private static string Summary(MfaDecision decision) =>
        $"{decision.Outcome.ToString().ToLowerInvariant()} {decision.Multifactor?["provider"]} {decision.Multifactor?["allowRememberBrowser"]}";

    private static string Summary(JsonObject decision) =>
        $"{decision["outcome"]} {decision["multifactor"]?["provider"]} {decision["multifactor"]?["allowRememberBrowser"]}";

    internal static string RepositoryRoot()
    {
        var project = typeof(NodeVmBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(attribute => attribute.Key == "ProjectDirectory").Value!;
        return Path.GetFullPath(Path.Combine(project, "..", ".."));
    }

    private sealed class Percentile95 : ManualConfig
    {
        public Percentile95() => AddColumn(StatisticColumn.P95);
    }
}
