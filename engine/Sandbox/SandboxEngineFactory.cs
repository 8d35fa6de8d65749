namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Creates one hardened Jint engine per login. The options are built once and shared (Jint allows that);
/// each engine gets its own deadline constraint through a factory, and the login's globals lazily.
/// </summary>
internal sealed class SandboxEngineFactory
{
    private readonly Options options;

    public SandboxEngineFactory(SandboxLimits limits, TimeProvider clock)
    {
        limits.Validate();
        Limits = limits;
        Clock = clock;
        options = new Options
        {
            TimeSystem = new RuleClock(clock),
            TimeZone = TimeZoneInfo.Utc,
            Strict = false,
            AgentCanSuspend = false,
        };
        options.Host.JobCallbacks = PromiseReactionBudget.Instance;
        options.Interop.Enabled = false;
        options.Interop.AllowWrite = false;
        options.Constraints.StackOverflowGuard = true;
        options.Constraint(() => new RuleDeadline())
            .MaxStatements(limits.MaxStatements)
            .LimitMemory(limits.MaxMemoryBytes)
            .LimitRecursion(limits.MaxRecursionDepth)
            .RegexTimeoutInterval(limits.RegexTimeout)
            .MaxArraySize(limits.MaxArraySize)
            .MaxJsonParseDepth(64)
            .DisableStringCompilation(!limits.AllowStringCompilation);
        LoginGlobals.Register(options);
        NodeCompat.NodeGlobals.Register(options);
    }

    public SandboxLimits Limits { get; }

    /// <summary>See <see cref="Evaluation.RulePipelineSettings"/>: off only in the benchmarks' comparison.</summary>
    public bool BuiltinBounds { get; init; } = true;

    /// <summary>The clock the rules see, for built-ins that read the time (<c>jwt</c>).</summary>
    public TimeProvider Clock { get; }

    public (JintEngine Engine, RuleDeadline Deadline) Create()
    {
        var engine = new JintEngine(options);
        if (BuiltinBounds)
        {
            InterpretedRegexes.Apply(engine);
            RegexCaps.Install(engine, Limits);
            ArrayCaps.Install(engine, Limits);
            CollectionCaps.Install(engine);
        }

        BuiltinCaps.Install(engine, Limits);
        var deadline = engine.Constraints.Find<RuleDeadline>()
            ?? throw new InvalidOperationException("The sandbox engine has no deadline constraint.");
        return (engine, deadline);
    }
}
