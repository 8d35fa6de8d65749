using System.Collections.Concurrent;
using Jint.Native;
using Jint.Runtime.Descriptors;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Engines with a rule set's modules already loaded, reused across the logins of that one rule set (so of one
/// tenant), one login at a time each. An engine is prepared once: its modules loaded, the builtins and module
/// exports deep-frozen (<see cref="EngineHardening"/>), the global object's properties recorded. After every
/// login the global object is put back as recorded; an engine whose login faulted, changed a module's hidden
/// state, or left the global object in a state that cannot be put back is discarded instead.
/// </summary>
internal sealed class ModuleEnginePool(SandboxEngineFactory factory, IReadOnlyList<string> modules)
{
    // More idle engines than logins can run at once would only hold memory (a few MB each with lodash loaded).
    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount);

    private static readonly HashSet<string> PerLoginNames = [.. LoginGlobals.PerLogin.Select(global => global.Name)];

    private readonly ConcurrentBag<PooledEngine> idle = [];

    private int prepared;

    public SandboxLimits Limits => factory.Limits;

    public TimeProvider Clock => factory.Clock;

    /// <summary>How many engines this pool has prepared: the logins that paid for loading the modules.</summary>
    public int Prepared => prepared;

    /// <summary>Prepares one engine ahead of the first login, so that login does not pay for loading the modules.</summary>
    public void Warm() => idle.Add(Prepare());

    public PooledEngine Rent() => idle.TryTake(out var engine) ? engine : Prepare();

    /// <summary>Gives back an engine after its login: restored and kept when it can be, discarded otherwise.</summary>
    public void Return(PooledEngine engine, bool reusable)
    {
        engine.Engine.Advanced.HostDefined = null;
        if (reusable && !ModuleRegistry.For(engine.Engine).ModuleStateChanged && idle.Count < MaxIdle && engine.Restore())
        {
            idle.Add(engine);
            return;
        }

        engine.Engine.Dispose();
    }

    private const int PreparationStatements = 100_000_000;

    private PooledEngine Prepare()
    {
        Interlocked.Increment(ref prepared);
        var (engine, deadline) = factory.Create();
        engine.Advanced.HostDefined = LoginSandbox.ForPreparation(engine, deadline, factory.Limits);
        // Loading the modules and freezing everything runs our code, not a rule's: it is not held to a rule's statement count.
        var statements = engine.Constraints.Find<Jint.Constraints.MaxStatementsConstraint>();
        var ruleStatements = statements?.MaxStatements ?? 0;
        if (statements is not null)
        {
            statements.MaxStatements = PreparationStatements;
        }

        var global = engine.Global;
        var roots = new List<JsValue>();
        foreach (var key in global.GetOwnPropertyKeys())
        {
            if (!PerLoginNames.Contains(key.ToString()))
            {
                roots.Add(global.Get(key));
            }
        }

        var registry = ModuleRegistry.For(engine);
        foreach (var name in modules)
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

        EngineHardening.Freeze(engine, roots.Concat(registry.LoadedExports));
        engine.Advanced.HostDefined = null;
        if (statements is not null)
        {
            statements.MaxStatements = ruleStatements;
        }

        return new PooledEngine(engine, deadline, global.GetOwnProperties()
            .Where(property => !PerLoginNames.Contains(property.Key.ToString()))
            .ToDictionary(property => property.Key, property => Copy(property.Value)));
    }

    private static PropertyDescriptor Copy(PropertyDescriptor descriptor) => descriptor.IsAccessorDescriptor()
        ? new GetSetPropertyDescriptor(descriptor.Get, descriptor.Set, descriptor.Enumerable, descriptor.Configurable)
        : new PropertyDescriptor(descriptor.Value, descriptor.Writable, descriptor.Enumerable, descriptor.Configurable);
}

/// <summary>An engine of a <see cref="ModuleEnginePool"/> and the global object's properties as prepared.</summary>
internal sealed class PooledEngine(JintEngine engine, RuleDeadline deadline, Dictionary<JsValue, PropertyDescriptor> globals)
{
    public JintEngine Engine { get; } = engine;

    public RuleDeadline Deadline { get; } = deadline;

    /// <summary>Installs one login's own globals (its configuration, console and auth0).</summary>
    public void BeginLogin(LoginSandbox sandbox)
    {
        Engine.Advanced.HostDefined = sandbox;
        foreach (var (name, create) in LoginGlobals.PerLogin)
        {
            Engine.Global.FastSetProperty(name, new PropertyDescriptor(create(sandbox), writable: true, enumerable: true, configurable: true));
        }
    }

    /// <summary>Puts the global object back as prepared; false when the login made that impossible.</summary>
    public bool Restore()
    {
        var global = Engine.Global;
        if (!global.Extensible)
        {
            return false;
        }

        foreach (var key in global.GetOwnPropertyKeys())
        {
            if (!globals.ContainsKey(key) && !global.Delete(key))
            {
                return false;
            }
        }

        foreach (var (key, prepared) in globals)
        {
            var current = global.GetOwnProperty(key);
            if (!Same(current, prepared) && !global.DefineOwnProperty(key, prepared))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(PropertyDescriptor current, PropertyDescriptor prepared) =>
        current != PropertyDescriptor.Undefined
        && current.Enumerable == prepared.Enumerable && current.Configurable == prepared.Configurable
        && (prepared.IsAccessorDescriptor()
            ? ReferenceEquals(current.Get, prepared.Get) && ReferenceEquals(current.Set, prepared.Set)
            : current.Writable == prepared.Writable && ReferenceEquals(current.Value, prepared.Value));
}
