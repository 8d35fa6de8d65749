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

    private readonly List<(ObjectInstance Item, JsValue[] Contents)> watched = [];

    /// <summary>Set by what changes state the pool cannot see: a module loaded, a state-changing module function, a registered symbol.</summary>
    public bool Changed { get; set; }

    /// <summary>True when <see cref="Changed"/> is set or a watched object is no longer as recorded.</summary>
    public bool ChangedSincePrepared => Changed || !watched.TrueForAll(entry => Matches(entry.Item, entry.Contents));

    public static HiddenState For(JintEngine engine) => States.GetValue(engine, static _ => new HiddenState());

    /// <summary>
    /// Records every mutable object reachable from <paramref name="roots"/> (frozen ones end the walk: the hardening
    /// froze everything they reach) with its prototype, extensibility and own properties (values and attributes). Comparing those objects
    /// alone after a login finds any change: making something new reachable changes a recorded object. So no object
    /// a rule put there (a proxy whose traps would run, outside any limit) is ever looked into.
    /// </summary>
    public void Watch(IEnumerable<ObjectInstance> roots)
    {
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<ObjectInstance>(roots);
        while (pending.TryPop(out var item))
        {
            if (!seen.Add(item))
            {
                continue;
            }

            var properties = item.GetOwnProperties().ToList();
            if (IsFrozen(item, properties))
            {
                continue;
            }

            var contents = Contents(item, properties);
            watched.Add((item, contents));
            foreach (var child in contents.OfType<ObjectInstance>())
            {
                pending.Push(child);
            }
        }
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

    private static JsValue[] Contents(ObjectInstance item, List<KeyValuePair<JsValue, PropertyDescriptor>> properties)
    {
        var contents = new List<JsValue> { item.Prototype ?? JsValue.Null, item.Extensible };
        foreach (var (key, descriptor) in properties)
        {
            contents.AddRange([key, ValueOrGetter(descriptor), Setter(descriptor), Attributes(descriptor)]);
        }

        return [.. contents];
    }

    private static bool Matches(ObjectInstance item, JsValue[] recorded)
    {
        if (!Same(recorded[0], item.Prototype ?? JsValue.Null) || !Same(recorded[1], item.Extensible))
        {
            return false;
        }

        var index = 2;
        foreach (var (key, descriptor) in item.GetOwnProperties())
        {
            if (index + 4 > recorded.Length || !Same(recorded[index], key) || !Same(recorded[index + 1], ValueOrGetter(descriptor))
                || !Same(recorded[index + 2], Setter(descriptor)) || !Same(recorded[index + 3], Attributes(descriptor)))
            {
                return false;
            }

            index += 4;
        }

        return index == recorded.Length;
    }

    private static JsValue ValueOrGetter(PropertyDescriptor descriptor) => (descriptor.IsAccessorDescriptor() ? descriptor.Get : descriptor.Value) ?? JsValue.Undefined;

    private static JsValue Setter(PropertyDescriptor descriptor) => (descriptor.IsAccessorDescriptor() ? descriptor.Set : null) ?? JsValue.Undefined;

    private static JsValue Attributes(PropertyDescriptor descriptor) =>
        (descriptor.Enumerable ? 1 : 0) | (descriptor.Configurable ? 2 : 0) | (descriptor.Writable ? 4 : 0) | (descriptor.IsAccessorDescriptor() ? 8 : 0);

    // Objects by identity, primitives by value (Jint's number equality says NaN differs from itself).
    private static bool Same(JsValue recorded, JsValue now) =>
        ReferenceEquals(recorded, now) || recorded.Equals(now) || (recorded.IsNumber() && now.IsNumber() && double.IsNaN(recorded.AsNumber()) && double.IsNaN(now.AsNumber()));

    private static bool IsFrozen(ObjectInstance item, List<KeyValuePair<JsValue, PropertyDescriptor>> properties) => !item.Extensible
        && properties.TrueForAll(property => !property.Value.Configurable && (property.Value.IsAccessorDescriptor() || !property.Value.Writable));
}
