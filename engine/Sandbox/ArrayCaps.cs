using Jint.Constraints;
using Jint.Native;
using Jint.Native.Object;
using Jint.Native.Symbol;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Array builtins whose one call ran seconds past the rule's deadline, because Jint runs them without returning to the
/// interpreter (measured at default limits): <c>indexOf</c> over 60,000 references to a one-megabyte string, 9.5 s;
/// <c>sort()</c> of 60,000 long strings with a common prefix and <c>concat(...arrays)</c> of 60,000 arrays, over 25 s;
/// <c>flat(Infinity)</c> of a 20-level array sharing its halves, 1.5 s (30 levels: over 25 s). The searches and the
/// default sort order run here with the deadline checked at every element or comparison; <c>concat</c> and <c>flat</c>
/// count their result first and refuse one larger than the array limit.
/// </summary>
internal static class ArrayCaps
{
    public static void Install(JintEngine engine, SandboxLimits limits)
    {
        var prototype = engine.Intrinsics.Array.PrototypeObject;
        var watch = Watch(engine);
        Replace(engine, prototype, "indexOf", 1, (self, arguments) => Search(engine, watch, self, arguments, fromEnd: false, sameValueZero: false));
        Replace(engine, prototype, "lastIndexOf", 1, (self, arguments) => Search(engine, watch, self, arguments, fromEnd: true, sameValueZero: false));
        Replace(engine, prototype, "includes", 1, (self, arguments) =>
            (JsValue)(TypeConverter.ToNumber(Search(engine, watch, self, arguments, fromEnd: false, sameValueZero: true)) >= 0));

        var defaultOrder = new ClrFunction(engine, "", (_, arguments) =>
        {
            watch();
            return string.CompareOrdinal(TypeConverter.ToString(arguments.At(0)), TypeConverter.ToString(arguments.At(1)));
        }, 2);
        foreach (var name in new[] { "sort", "toSorted" })
        {
            var original = prototype.Get(name);
            Replace(engine, prototype, name, 1, (self, arguments) =>
                engine.Call(original, self, [arguments.At(0).IsUndefined() ? defaultOrder : arguments.At(0)]));
        }

        var max = (long)limits.MaxArraySize;
        var concat = prototype.Get("concat");
        Replace(engine, prototype, "concat", 1, (self, arguments) =>
        {
            var total = SpreadLength(self) + arguments.Sum(SpreadLength);
            return total > max ? throw TooLarge("concat", total, max) : engine.Call(concat, self, arguments);
        });
        var flat = prototype.Get("flat");
        Replace(engine, prototype, "flat", 0, (self, arguments) =>
        {
            var depth = arguments.At(0).IsUndefined() ? 1 : TypeConverter.ToIntegerOrInfinity(arguments.At(0));
            var visits = FlatVisits(self, depth, 2 * max);
            return visits > 2 * max ? throw TooLarge("flat", visits, max) : engine.Call(flat, self, arguments);
        });
    }

    /// <summary>The deadline and memory checks of the running rule, for loops that run no statements.</summary>
    internal static Action Watch(JintEngine engine)
    {
        var deadline = engine.Constraints.Find<RuleDeadline>();
        var memory = engine.Constraints.Find<MemoryLimitConstraint>();
        return () =>
        {
            deadline?.Check();
            memory?.Check();
        };
    }

    /// <summary><c>indexOf</c>, <c>lastIndexOf</c> and <c>includes</c> as ECMA-262 23.1.3 defines them, returning the index (or -1).</summary>
    private static JsValue Search(JintEngine engine, Action watch, JsValue self, JsValue[] arguments, bool fromEnd, bool sameValueZero)
    {
        var array = self is ObjectInstance receiver ? receiver : self.IsNull() || self.IsUndefined()
            ? throw new JavaScriptException(engine.Intrinsics.TypeError, "Array.prototype method called on null or undefined")
            : (ObjectInstance)engine.Intrinsics.Object.Construct([self]);
        var length = (long)TypeConverter.ToLength(array.Get("length"));
        if (length == 0)
        {
            return -1;
        }

        var target = arguments.At(0);
        var from = arguments.Length > 1 ? TypeConverter.ToIntegerOrInfinity(arguments[1]) : fromEnd ? length - 1 : 0;
        if (fromEnd)
        {
            for (var index = (long)(from >= 0 ? Math.Min(from, length - 1) : length + from); index >= 0; index--)
            {
                watch();
                if (array.HasProperty(index) && Equal(target, array.Get(index), sameValueZero))
                {
                    return index;
                }
            }

            return -1;
        }

        for (var index = (long)(from >= 0 ? Math.Min(from, length) : Math.Max(length + from, 0)); index < length; index++)
        {
            watch();
            // includes reads holes as undefined; indexOf skips them.
            if ((sameValueZero || array.HasProperty(index)) && Equal(target, array.Get(index), sameValueZero))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>IsStrictlyEqual, or SameValueZero (NaN equals NaN) for <c>includes</c>.</summary>
    private static bool Equal(JsValue x, JsValue y, bool sameValueZero)
    {
        if (x.IsNumber() && y.IsNumber())
        {
            var (a, b) = (x.AsNumber(), y.AsNumber());
            return a == b || (sameValueZero && double.IsNaN(a) && double.IsNaN(b));
        }

        if (x.Type != y.Type)
        {
            return false;
        }

        return x.IsString() ? string.Equals(x.AsString(), y.AsString(), StringComparison.Ordinal) : x.Equals(y);
    }

    /// <summary>What <c>concat</c> appends for one item: a spreadable object's length, else one element.</summary>
    private static long SpreadLength(JsValue item)
    {
        if (item is not ObjectInstance value)
        {
            return 1;
        }

        var spreadable = value.Get(GlobalSymbolRegistry.IsConcatSpreadable);
        return (spreadable.IsUndefined() ? value.IsArray() : TypeConverter.ToBoolean(spreadable))
            ? (long)TypeConverter.ToLength(value.Get("length"))
            : 1;
    }

    /// <summary>The elements and nested arrays <c>flat(depth)</c> would visit, counted up to <paramref name="stopAt"/>.</summary>
    private static long FlatVisits(JsValue self, double depth, long stopAt)
    {
        long visits = 0;
        var pending = new Stack<(ObjectInstance Array, double Depth)>();
        if (self is ObjectInstance root)
        {
            pending.Push((root, depth));
        }

        while (pending.TryPop(out var item) && visits <= stopAt)
        {
            var length = (long)TypeConverter.ToLength(item.Array.Get("length"));
            visits += length;
            for (var index = 0L; index < length && visits <= stopAt; index++)
            {
                if (item.Depth > 0 && item.Array.Get(index) is ObjectInstance nested && nested.IsArray())
                {
                    pending.Push((nested, item.Depth - 1));
                }
            }
        }

        return visits;
    }

    private static SandboxLimitException TooLarge(string name, long size, long max) =>
        new(SandboxLimit.ArraySize, $"{name} would build an array of {size:N0} elements or more, over the limit of {max:N0}");

    private static void Replace(JintEngine engine, ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        target.FastSetProperty(name, new PropertyDescriptor(new ClrFunction(engine, name, body, length), writable: true, enumerable: false, configurable: true));
}
