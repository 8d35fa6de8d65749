using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// An engine of an <see cref="EnginePool"/>, the global object's prototype and properties as prepared, the rule set's
/// functions evaluated once, and, when its builtins were not frozen, the record of everything else a login could change.
/// </summary>
internal sealed class PooledEngine(
    JintEngine engine, RuleDeadline deadline, RealmSnapshot? snapshot, ObjectInstance? globalPrototype, Dictionary<JsValue, PropertyDescriptor> globals,
    IReadOnlyDictionary<CompiledRule, JsValue> functions, IReadOnlyDictionary<CompiledRule, RuleCallback> callbacks,
    IReadOnlyDictionary<CompiledRule, ActionApi> apis)
{
    private long allocatedBeforeLogin;

    // The global object as last put back: a login that left it so (most do) needs nothing put back.
    private RealmSnapshot globalAsPrepared = RealmSnapshot.OfObject(engine.Global);

    public JintEngine Engine { get; } = engine;

    public RuleDeadline Deadline { get; } = deadline;

    /// <summary>The realm as prepared, for an engine whose builtins are not frozen; null for a frozen one.</summary>
    public RealmSnapshot? Snapshot { get; } = snapshot;

    /// <summary>Bytes allocated on the login's thread during the logins this engine served: a bound on what they can have left in it.</summary>
    public long Allocated { get; private set; }

    /// <summary>Whether the pool has started preparing the engine that replaces this one when it is retired.</summary>
    public bool SuccessorRequested { get; set; }

    /// <summary>
    /// The rule's function as evaluated when the engine was prepared, or null for a rule not of this rule set. Every
    /// login calls the same function object, so what a login can change on it (its properties, its <c>prototype</c>)
    /// is recorded with the rest of the engine and checked after each login.
    /// </summary>
    public JsValue? FunctionOf(CompiledRule rule) => functions.GetValueOrDefault(rule);

    /// <summary>The Rule's callback as made when the engine was prepared (recorded like its function), or null for an Action or another rule set's rule.</summary>
    public RuleCallback? CallbackOf(CompiledRule rule) => callbacks.GetValueOrDefault(rule);

    /// <summary>The Action's <c>api</c> as made when the engine was prepared (recorded like its function), or null for a Rule or another rule set's Action.</summary>
    public ActionApi? ApiOf(CompiledRule rule) => apis.GetValueOrDefault(rule);

    /// <summary>Attaches the login: the globals' functions (console, auth0) act on <paramref name="sandbox"/> until it ends.</summary>
    public void BeginLogin(LoginSandbox sandbox)
    {
        allocatedBeforeLogin = GC.GetAllocatedBytesForCurrentThread();
        Engine.Advanced.HostDefined = sandbox;
    }

    /// <summary>Detaches the login; call on the login's thread.</summary>
    public void EndLogin()
    {
        Engine.Advanced.HostDefined = null;
        Allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBeforeLogin;
    }

    /// <summary>Puts the global object and the <c>RegExp</c> statics back as prepared; false when the login made that impossible.</summary>
    public bool Restore()
    {
        var global = Engine.Global;
        if (!global.Extensible || !ReferenceEquals(global.Prototype, globalPrototype))
        {
            return false;
        }

        RegExpStatics.Clear(Engine);
        if (globalAsPrepared.IsUnchanged())
        {
            return true;
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

        globalAsPrepared = RealmSnapshot.OfObject(global);
        return true;
    }

    private static bool Same(PropertyDescriptor current, PropertyDescriptor prepared) =>
        current != PropertyDescriptor.Undefined
        && current.Enumerable == prepared.Enumerable && current.Configurable == prepared.Configurable
        && (prepared.IsAccessorDescriptor()
            ? ReferenceEquals(current.Get, prepared.Get) && ReferenceEquals(current.Set, prepared.Set)
            : current.Writable == prepared.Writable && ReferenceEquals(current.Value, prepared.Value));
}
