using BenchmarkDotNet.Attributes;
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
        var samples = new SamplesLogin(NodeVmBenchmarks.RepositoryRoot());
        samplesLogin = samples.Login;
        samplesPooled = samples.Pipeline();
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
