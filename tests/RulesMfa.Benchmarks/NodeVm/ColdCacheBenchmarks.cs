using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks.NodeVm;

/// <summary>
/// The pooled login of <see cref="NodeVmBenchmarks"/> with the CPU's caches as a server leaves them: between two logins
/// a server does milliseconds of other work (the request, the database, the tokens), so the engine's objects and the
/// rules' syntax trees are no longer cached. <see cref="EvictCaches"/> alone is the cost to subtract.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ColdCacheBenchmarks
{
    // Larger than this machine's last-level cache, touched a cache line at a time.
    private readonly byte[] otherWork = new byte[64 << 20];
    private RulePipeline samplesPooled = null!;
    private LoginContext samplesLogin = null!;

    [GlobalSetup]
    public void Setup()
    {
        var samples = Path.Combine(NodeVmBenchmarks.RepositoryRoot(), "rules-samples");
        var rules = RuleFiles.Load([samples]).Where(rule => rule.Kind == RuleKind.Rule).Select(RuleCompiler.Shared.Compile).ToList();
        var configuration = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "logins", "configuration.json")))!.AsObject()
            .ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>());
        samplesLogin = LoginContext.FromRulesView(JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "logins", "admin-outside-office.json"))));
        samplesPooled = new RulePipeline(rules, new RulePipelineSettings { Configuration = configuration },
            new FixedTimeProvider(new DateTimeOffset(2026, 3, 4, 10, 15, 0, TimeSpan.Zero)));
    }

    [Benchmark]
    public int EvictCaches()
    {
        var sum = 0;
        for (var index = 0; index < otherWork.Length; index += 64)
        {
            sum += otherWork[index]++;
        }

        return sum;
    }

    [Benchmark]
    public MfaDecision SamplesPooledAfterEviction()
    {
        EvictCaches();
        return samplesPooled.Evaluate(samplesLogin);
    }

    [Benchmark(Baseline = true)]
    public MfaDecision SamplesPooled() => samplesPooled.Evaluate(samplesLogin);
}
