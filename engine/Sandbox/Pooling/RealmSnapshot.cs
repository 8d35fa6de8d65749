using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Descriptors;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// Every object of a reused engine's realm that a login can reach without a module (the intrinsics, the sandbox's
/// globals and everything they hold), recorded as prepared, so that a login that changed any of it is seen when it
/// ends and its engine discarded. Unlike freezing (<see cref="Modules.EngineHardening"/>), the change still takes effect
/// in that login, as on a fresh engine. Read from what Jint itself keeps, so a check costs a few field reads per
/// property: each object's shape version (Jint bumps it when a property is added, removed or replaced), prototype,
/// extensibility and number of symbol-keyed properties; each property's flags, value, getter and setter (an assignment
/// to an existing property, or a redefinition, changes the descriptor in place); and, for symbol-keyed properties,
/// whose replacement Jint does not count, the descriptor itself.
/// </summary>
internal sealed class RealmSnapshot
{
    private readonly ObjectState[] objects;
    private readonly DescriptorState[] descriptors;
    private readonly SymbolProperty[] symbolProperties;

    private RealmSnapshot(ObjectState[] objects, DescriptorState[] descriptors, SymbolProperty[] symbolProperties)
    {
        this.objects = objects;
        this.descriptors = descriptors;
        this.symbolProperties = symbolProperties;
    }

    /// <summary>How many objects and properties a check compares.</summary>
    public (int Objects, int Properties) Size => (objects.Length, descriptors.Length);

    /// <summary>
    /// Records everything reachable from <paramref name="roots"/> through properties, getters, setters and prototypes,
    /// but not the global object itself (<see cref="PooledEngine.Restore"/> puts that back). Reading each object's
    /// properties materializes the builtins Jint creates lazily, so a later first use does not look like a change.
    /// </summary>
    public static RealmSnapshot Capture(JintEngine engine, IEnumerable<JsValue> roots)
    {
        var recorder = new Recorder();
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance) { engine.Global };
        var pending = new Stack<JsValue>(roots);
        while (pending.TryPop(out var value))
        {
            if (value is not ObjectInstance item || !seen.Add(item))
            {
                continue;
            }

            foreach (var descriptor in recorder.Record(item))
            {
                pending.Push(descriptor.IsAccessorDescriptor() ? descriptor.Get ?? JsValue.Undefined : descriptor.Value);
                pending.Push(descriptor.Set ?? JsValue.Undefined);
            }

            pending.Push(item.Prototype ?? JsValue.Null);
        }

        return recorder.ToSnapshot();
    }

    /// <summary>
    /// Records <paramref name="item"/> and its own properties, not the objects they hold: whether it changed at all,
    /// for an object put back by other means when it did (the global object: <see cref="PooledEngine.Restore"/>).
    /// </summary>
    public static RealmSnapshot OfObject(ObjectInstance item)
    {
        var recorder = new Recorder();
        foreach (var _ in recorder.Record(item))
        {
        }

        return recorder.ToSnapshot();
    }

    /// <summary>True when every recorded object and property is as prepared.</summary>
    public bool IsUnchanged()
    {
        foreach (ref readonly var state in objects.AsSpan())
        {
            if (!state.IsUnchanged())
            {
                return false;
            }
        }

        foreach (ref readonly var state in descriptors.AsSpan())
        {
            if (!state.IsUnchanged())
            {
                return false;
            }
        }

        foreach (ref readonly var property in symbolProperties.AsSpan())
        {
            if (!ReferenceEquals(property.Owner.GetOwnProperty(property.Key), property.Descriptor))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Recorder
    {
        private readonly List<ObjectState> objects = [];
        private readonly List<DescriptorState> descriptors = [];
        private readonly List<SymbolProperty> symbolProperties = [];

        /// <summary>Records the object and its own properties; yields each property's descriptor, for a caller that follows them.</summary>
        public IEnumerable<PropertyDescriptor> Record(ObjectInstance item)
        {
            foreach (var (key, descriptor) in item.GetOwnProperties().ToList())
            {
                var state = DescriptorState.Of(descriptor);
                if (state.CanChange)
                {
                    descriptors.Add(state);
                }

                if (key.IsSymbol() && state.CanChange)
                {
                    symbolProperties.Add(new SymbolProperty(item, key, descriptor));
                }

                yield return descriptor;
            }

            objects.Add(ObjectState.Of(item));
        }

        public RealmSnapshot ToSnapshot() => new([.. objects], [.. descriptors], [.. symbolProperties]);
    }

    private readonly record struct ObjectState(ObjectInstance Item, uint Version, ObjectInstance? Prototype, bool Extensible, object? Symbols, int SymbolCount)
    {
        public static ObjectState Of(ObjectInstance item)
        {
            var symbols = JintInternals.Symbols(item);
            return new(item, JintInternals.Version(item), JintInternals.Prototype(item), item.Extensible, symbols, JintInternals.Count(symbols));
        }

        public bool IsUnchanged() => JintInternals.Version(Item) == Version && ReferenceEquals(JintInternals.Prototype(Item), Prototype)
            && Item.Extensible == Extensible && ReferenceEquals(JintInternals.Symbols(Item), Symbols) && (Symbols is null || JintInternals.Count(Symbols) == SymbolCount);
    }

    private readonly record struct DescriptorState(PropertyDescriptor Descriptor, PropertyFlag Flags, JsValue? Value, JsValue? Get, JsValue? Set)
    {
        // The value is read first: reading a lazy builtin's value creates it and changes the descriptor's flags.
        public static DescriptorState Of(PropertyDescriptor descriptor)
        {
            var value = descriptor.IsAccessorDescriptor() ? null : descriptor.Value;
            return new(descriptor, JintInternals.Flags(descriptor), value, descriptor.Get, descriptor.Set);
        }

        /// <summary>A property neither writable nor configurable cannot change (Jint refuses it as the specification says).</summary>
        public bool CanChange => (Flags & (PropertyFlag.Writable | PropertyFlag.Configurable)) != 0;

        public bool IsUnchanged()
        {
            var flags = JintInternals.Flags(Descriptor);
            if (flags != Flags)
            {
                return false;
            }

            return Get is null && Set is null && (flags & PropertyFlag.CustomJsValue) == 0
                ? ReferenceEquals(JintInternals.Value(Descriptor), Value)
                : ReferenceEquals(Descriptor.IsAccessorDescriptor() ? null : Descriptor.Value, Value)
                    && ReferenceEquals(Descriptor.Get, Get) && ReferenceEquals(Descriptor.Set, Set);
        }
    }

    private readonly record struct SymbolProperty(ObjectInstance Owner, JsValue Key, PropertyDescriptor Descriptor);

    /// <summary>
    /// The three fields of Jint 4.18 the check reads and Jint keeps internal. A Jint upgrade that renames one fails
    /// here, at the first pooled engine, loudly (and the leak tests with it), never by silently seeing no change.
    /// </summary>
    private static class JintInternals
    {
        private static readonly Func<ObjectInstance, object?> SymbolsOf = CompileSymbols();

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_propertiesVersion")]
        private static extern ref uint PropertiesVersion(ObjectInstance item);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_flags")]
        private static extern ref PropertyFlag FlagsOf(PropertyDescriptor descriptor);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_value")]
        private static extern ref JsValue? ValueOf(PropertyDescriptor descriptor);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_prototype")]
        private static extern ref ObjectInstance? PrototypeOf(ObjectInstance item);

        public static uint Version(ObjectInstance item) => PropertiesVersion(item);

        public static PropertyFlag Flags(PropertyDescriptor descriptor) => FlagsOf(descriptor);

        /// <summary>A data descriptor's value as stored, for one without a custom value (read through <see cref="PropertyDescriptor.Value"/> otherwise).</summary>
        public static JsValue? Value(PropertyDescriptor descriptor) => ValueOf(descriptor);

        public static ObjectInstance? Prototype(ObjectInstance item) => PrototypeOf(item);

        /// <summary>The object's table of symbol-keyed properties, or null while it has none.</summary>
        public static object? Symbols(ObjectInstance item) => SymbolsOf(item);

        public static int Count(object? symbols) => symbols is IReadOnlyCollection<KeyValuePair<JsSymbol, PropertyDescriptor>> table ? table.Count : 0;

        // _symbols is a dictionary of an internal type, read as an object and counted through the public interface it implements.
        private static Func<ObjectInstance, object?> CompileSymbols()
        {
            var field = typeof(ObjectInstance).GetField("_symbols", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("Jint's ObjectInstance has no _symbols field any more: pooled engines cannot see symbol-keyed changes.");
            if (!typeof(IReadOnlyCollection<KeyValuePair<JsSymbol, PropertyDescriptor>>).IsAssignableFrom(field.FieldType))
            {
                throw new InvalidOperationException($"Jint's ObjectInstance._symbols is a {field.FieldType}, not a collection of symbol properties.");
            }

            var item = Expression.Parameter(typeof(ObjectInstance));
            return Expression.Lambda<Func<ObjectInstance, object?>>(Expression.Convert(Expression.Field(item, field), typeof(object)), item).Compile();
        }
    }
}
