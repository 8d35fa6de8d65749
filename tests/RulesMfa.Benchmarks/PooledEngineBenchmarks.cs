using BenchmarkDotNet.Attributes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox.Modules;
using RulesMfa.Engine.Sandbox.Pooling;

namespace RulesMfa.Benchmarks;

/// <summary>
/// What a reused engine costs after each login (issue 11, finding 4), on an engine with moment loaded: comparing
/// moment's global locale with its recorded contents, and putting the global object and the RegExp statics back.
/// </summary>
[MemoryDiagnoser]
public class PooledEngineBenchmarks
{
    private PooledEngine engine = null!;
    private HiddenState state = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pipeline = new RulePipeline([RuleCompiler.Shared.Compile(RuleSource.Inline("moment", "function (user, context, callback) { require('moment'); callback(null, user, context); }"))]);
        engine = pipeline.Engines!.Rent();
        state = HiddenState.For(engine.Engine);
        if (state.ChangedSincePrepared || !engine.Restore())
        {
            throw new InvalidOperationException("A freshly prepared engine should be unchanged and restorable.");
        }
    }

    [Benchmark]
    public bool CompareHiddenState() => state.ChangedSincePrepared;

    [Benchmark]
    public bool RestoreGlobals() => engine.Restore();
}
