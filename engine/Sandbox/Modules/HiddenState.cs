using System.Runtime.CompilerServices;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// The state of a reused engine that can neither be frozen nor put back after a login: modules loaded after the
/// engine was prepared, state kept in a module's closures (<see cref="ModuleStateChangers"/>), the
/// <c>Symbol.for</c> registry, and the mutable objects a module hands out (moment's global locale, watched here
/// by their contents). A login that changes any of it gets its engine discarded instead of reused.
/// </summary>
internal sealed class HiddenState
{
    private static readonly ConditionalWeakTable<JintEngine, HiddenState> States = new();

    // Freezing cannot be undone, so an object once found frozen is never looked at again.
    private readonly HashSet<ObjectInstance> frozen = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<ObjectInstance> watched = [];
    private List<JsValue> recorded = [];

    /// <summary>Set by what changes state the pool cannot see: a module loaded, a state-changing module function, a registered symbol.</summary>
    public bool Changed { get; set; }

    /// <summary>True when <see cref="Changed"/> is set or a watched object graph is no longer as recorded.</summary>
    public bool ChangedSincePrepared => Changed || !Unchanged();

    public static HiddenState For(JintEngine engine) => States.GetValue(engine, static _ => new HiddenState());

    /// <summary>Records the contents of <paramref name="roots"/> and everything mutable they reach, to compare after each login.</summary>
    public void Watch(IReadOnlyList<ObjectInstance> roots)
    {
        watched = roots;
        recorded = [];
        Walk(value =>
        {
            recorded.Add(value);
            return true;
        });
    }

    /// <summary>
    /// Makes <c>Symbol.for</c> mark the engine changed: the registry cannot be emptied, so symbols registered by
    /// one login would otherwise stay in the engine's memory for every later login. Call before freezing.
    /// </summary>
    public void WatchSymbolRegistry(JintEngine engine)
    {
        var symbol = engine.Global.Get("Symbol").AsObject();
        var register = symbol.Get("for");
        symbol.FastSetProperty("for", new PropertyDescriptor(new ClrFunction(engine, "for", (self, arguments) =>
        {
            Changed = true;
            return engine.Call(register, self, arguments);
        }, 1), writable: true, enumerable: false, configurable: true));
    }

    private bool Unchanged()
    {
        var index = 0;
        return Walk(value => index < recorded.Count && Same(recorded[index++], value)) && index == recorded.Count;
    }

    // Objects by identity, primitives by value (Jint's number equality says NaN differs from itself).
    private static bool Same(JsValue recorded, JsValue now) =>
        ReferenceEquals(recorded, now) || recorded.Equals(now) || (recorded.IsNumber() && now.IsNumber() && double.IsNaN(recorded.AsNumber()) && double.IsNaN(now.AsNumber()));

    /// <summary>
    /// Visits every mutable watched object's prototype, extensibility and own properties, in a fixed order, until
    /// <paramref name="visit"/> returns false. Frozen objects end the walk: the hardening froze everything they
    /// reach. Stopping at the first difference means only objects seen when recording are ever walked: no object a
    /// rule put there (a proxy whose traps would run here, outside any limit) is looked into.
    /// </summary>
    private bool Walk(Func<JsValue, bool> visit)
    {
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<ObjectInstance>(watched.Reverse());
        var properties = new List<KeyValuePair<JsValue, PropertyDescriptor>>();
        while (pending.TryPop(out var item))
        {
            if (!seen.Add(item) || frozen.Contains(item))
            {
                continue;
            }

            properties.Clear();
            properties.AddRange(item.GetOwnProperties());
            if (IsFrozen(item, properties))
            {
                frozen.Add(item);
                continue;
            }

            if (!visit(item.Prototype ?? JsValue.Null) || !visit(item.Extensible))
            {
                return false;
            }

            foreach (var (key, descriptor) in properties)
            {
                var accessor = descriptor.IsAccessorDescriptor();
                if (!visit(key) || !Follow(accessor ? descriptor.Get : descriptor.Value) || !Follow(accessor ? descriptor.Set : null))
                {
                    return false;
                }
            }
        }

        return true;

        bool Follow(JsValue? value)
        {
            if (!visit(value ?? JsValue.Undefined))
            {
                return false;
            }

            if (value is ObjectInstance child)
            {
                pending.Push(child);
            }

            return true;
        }
    }

    private static bool IsFrozen(ObjectInstance item, List<KeyValuePair<JsValue, PropertyDescriptor>> properties) => !item.Extensible
        && properties.TrueForAll(property => !property.Value.Configurable && (property.Value.IsAccessorDescriptor() || !property.Value.Writable));
}
