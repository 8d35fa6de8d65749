using System.Collections.Concurrent;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Sandbox.Modules;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// Engines reused across the logins of one rule set (so of one tenant), one login at a time each; idle engines are
/// kept per thread where they can be (<see cref="ConcurrentBag{T}"/>). An engine is prepared once, in one of two ways:
/// <list type="bullet">
/// <item>A rule set that can reach modules: its modules loaded, the realm's intrinsics, the module exports and the
/// objects modules hand out deep-frozen (<see cref="EngineHardening"/>), because a module keeps state in closures
/// that nothing could compare.</item>
/// <item>Any other rule set: nothing frozen, so a rule that changes a builtin sees its change in its own login as on
/// a fresh engine; everything the login can reach is recorded instead (<see cref="RealmSnapshot"/>).</item>
/// </list>
/// Either way the rule set's functions are evaluated once per engine, each Rule's <c>callback</c> and each Action's
/// <c>api</c> made once, and <c>configuration</c>, <c>console</c> and <c>auth0</c> (<see cref="LoginGlobals.Unfrozen"/>) are built once, from the
/// rule set's configuration and domain; all are recorded (or, on a frozen engine, watched: <see cref="HiddenState"/>), never frozen. After every login the global
/// object and the <c>RegExp</c> statics are put back; an engine whose login faulted, changed a recorded object, changed state that can be neither frozen nor put back (<see cref="HiddenState"/>: a
/// module loaded after preparation, a module's closures, the symbol registry), or left the global object in a state
/// that cannot be put back is discarded instead.
/// </summary>
internal sealed class EnginePool(
    SandboxEngineFactory factory, IReadOnlyList<CompiledRule> rules, bool usesModules, IReadOnlyList<string> modules,
    IReadOnlyDictionary<string, string> configuration, string domain)
{
    // More idle engines than logins can run at once would only hold memory (a few MB each with lodash loaded).
    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount);

    // What one engine's logins may allocate in all before it is retired: whatever they left in state no check sees
    // (lodash's cache of parsed paths keeps up to 500 strings of any length) stays below it. A login requiring
    // lodash allocates about 50 KB, so an engine serves over a thousand of them.
    private const long MaxAllocatedPerEngine = 64L << 20;

    // Module names required at run time (a computed require) that the next engines load when prepared, so that
    // the logins requiring them are not all discarded; bounded, as the rules choose the names.
    private const int MaxLearnedModules = 16;

    // An engine half-way to retirement gets its successor prepared on the thread pool, so that no login waits for a
    // preparation (4 ms on a quiet machine, 25 ms on a loaded one for the ten-rule policy: every ~500 logins, one
    // login paid that, and a short benchmark iteration with it).
    private const long SuccessorAfterAllocated = MaxAllocatedPerEngine / 2;

    private readonly ConcurrentBag<PooledEngine> idle = [];
    private readonly ConcurrentDictionary<string, bool> learned = new(StringComparer.Ordinal);

    private int prepared;
    private int preparedAhead;
    private Task successor = Task.CompletedTask;

    public SandboxLimits Limits => factory.Limits;

    public TimeProvider Clock => factory.Clock;

    /// <summary>How many engines this pool has prepared: one, and one more after each discard or retirement.</summary>
    public int Prepared => prepared;

    /// <summary>How many of them were prepared before a login needed them (<see cref="Warm"/> and successors), not by a login.</summary>
    public int PreparedAhead => preparedAhead;

    /// <summary>The preparation of the successor of an engine near retirement, or a completed task when none is under way.</summary>
    public Task Successor => Volatile.Read(ref successor);

    /// <summary>Prepares one engine ahead of the first login, so that login does not pay for preparing it.</summary>
    public void Warm() => idle.Add(PrepareAhead());

    public PooledEngine Rent() => idle.TryTake(out var engine) ? engine : Prepare();

    /// <summary>Gives back an engine after its login: restored and kept when it can be, discarded otherwise.</summary>
    public void Return(PooledEngine engine, bool reusable)
    {
        engine.EndLogin();
        foreach (var request in ModuleRegistry.For(engine.Engine).RequestedAfterSeal)
        {
            if (learned.Count < MaxLearnedModules)
            {
                learned.TryAdd(request, true);
            }
        }

        if (reusable && engine.Allocated < MaxAllocatedPerEngine && !HiddenState.For(engine.Engine).ChangedSincePrepared && idle.Count < MaxIdle
            && engine.Snapshot?.IsUnchanged() != false && engine.Restore())
        {
            var successorDue = engine.Allocated >= SuccessorAfterAllocated && !engine.SuccessorRequested;
            engine.SuccessorRequested |= successorDue;
            idle.Add(engine);
            if (successorDue)
            {
                PrepareSuccessor();
            }

            return;
        }

        engine.Engine.Dispose();
    }

    // The successor goes to the idle engines beside the one it replaces; a thread takes back the engine it returned
    // first (ConcurrentBag keeps a list per thread), so the successor serves once that one is retired. A preparation
    // that fails leaves nothing behind: the next login with no idle engine prepares one itself.
    private void PrepareSuccessor()
    {
        var preparation = Task.Run(() =>
        {
            var engine = PrepareAhead();
            if (idle.Count < MaxIdle)
            {
                idle.Add(engine);
            }
            else
            {
                engine.Engine.Dispose();
            }
        });
        Volatile.Write(ref successor, preparation.ContinueWith(static _ => { }, TaskScheduler.Default));
    }

    private PooledEngine PrepareAhead()
    {
        var engine = Prepare();
        Interlocked.Increment(ref preparedAhead);
        return engine;
    }

    private const int PreparationStatements = 100_000_000;

    private PooledEngine Prepare()
    {
        Interlocked.Increment(ref prepared);
        var (engine, deadline) = factory.Create();
        engine.Advanced.HostDefined = LoginSandbox.ForPreparation(engine, deadline, factory.Limits, configuration, domain);
        // Loading the modules and freezing everything runs our code, not a rule's: it is not held to a rule's statement count.
        var statements = engine.Constraints.Find<Jint.Constraints.MaxStatementsConstraint>();
        var ruleStatements = statements?.MaxStatements ?? 0;
        if (statements is not null)
        {
            statements.MaxStatements = PreparationStatements;
        }

        var global = engine.Global;
        var roots = new List<JsValue>();
        var unfrozen = new List<JsValue>();
        foreach (var key in global.GetOwnPropertyKeys())
        {
            (LoginGlobals.Unfrozen.Contains(key.ToString()) ? unfrozen : roots).Add(global.Get(key));
        }

        var registry = ModuleRegistry.For(engine);
        var names = modules.Concat(learned.Keys).ToList();
        var freeze = usesModules || names.Count > 0;
        foreach (var name in names)
        {
            try
            {
                registry.Load(name);
            }
            catch (Jint.Runtime.JavaScriptException)
            {
                // Not an allowed module: the rule gets the same error when it runs.
            }
        }

        var state = HiddenState.For(engine);
        state.WatchSymbolRegistry(engine);
        RealmSnapshot? snapshot = null;
        Dictionary<CompiledRule, JsValue> functions;
        var callbacks = rules.Where(rule => rule.Kind == RuleKind.Rule)
            .ToDictionary<CompiledRule, CompiledRule, RuleCallback>(rule => rule, rule => new RuleCallback(engine, rule.Id), ReferenceEqualityComparer.Instance);
        var apis = rules.Where(rule => rule.Kind == RuleKind.Action)
            .ToDictionary<CompiledRule, CompiledRule, ActionApi>(rule => rule, rule => new ActionApi(engine, rule.Id), ReferenceEqualityComparer.Instance);
        // What every run of a rule is handed: the Rules' callbacks and the Actions' api (its groups and functions below it).
        var handedToRules = callbacks.Values.Select(callback => (ObjectInstance)callback.Function).Concat(apis.Values.Select(api => api.Object));
        if (freeze)
        {
            var hidden = ModuleHiddenObjects.Find(engine, registry);
            EngineHardening.Freeze(engine, roots.Concat(RealmIntrinsics.Of(engine)).Concat(registry.LoadedExports).Concat(hidden.Freeze));
            functions = EvaluateFunctions(engine);
            state.Watch(hidden.Watch.Concat(unfrozen.Concat(functions.Values).OfType<ObjectInstance>()).Concat(handedToRules));
        }
        else
        {
            functions = EvaluateFunctions(engine);
            snapshot = RealmSnapshot.Capture(engine,
                roots.Concat(unfrozen).Concat(functions.Values).Concat(handedToRules).Concat(RealmIntrinsics.Of(engine)).Concat(registry.LoadedExports));
        }

        registry.Seal();
        RegExpStatics.Clear(engine);

        engine.Advanced.HostDefined = null;
        if (statements is not null)
        {
            statements.MaxStatements = ruleStatements;
        }

        return new PooledEngine(engine, deadline, snapshot, global.Prototype,
            global.GetOwnProperties().ToDictionary(property => property.Key, property => Copy(property.Value)), functions, callbacks, apis);
    }

    /// <summary>Each rule's script evaluated: a Rule's function expression or an Action's module wrapper, so no rule code runs.</summary>
    private Dictionary<CompiledRule, JsValue> EvaluateFunctions(JintEngine engine)
    {
        var functions = new Dictionary<CompiledRule, JsValue>(ReferenceEqualityComparer.Instance);
        foreach (var rule in rules)
        {
            var script = rule.Script;
            functions[rule] = engine.Evaluate(in script);
        }

        return functions;
    }

    private static PropertyDescriptor Copy(PropertyDescriptor descriptor) => descriptor.IsAccessorDescriptor()
        ? new GetSetPropertyDescriptor(descriptor.Get, descriptor.Set, descriptor.Enumerable, descriptor.Configurable)
        : new PropertyDescriptor(descriptor.Value, descriptor.Writable, descriptor.Enumerable, descriptor.Configurable);
}
