using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Jint checks limits between statements, so one builtin call can allocate a gigabyte before any limit sees
/// it (<c>'a'.repeat(2**28)</c>, a huge <c>join</c>). The string builtins that multiply their input are wrapped
/// here so that a result longer than <see cref="SandboxLimits.MaxStringLength"/> is refused before it is built
/// (<c>repeat</c>, <c>padStart</c>, <c>padEnd</c>, <c>replaceAll</c>, <c>concat</c>, <c>join</c>, array <c>toLocaleString</c>,
/// <c>String.raw</c>), and <c>JSON.stringify</c> counts what it writes (<see cref="BoundedJson"/>).
/// </summary>
internal static class BuiltinCaps
{
    public static void Install(JintEngine engine, SandboxLimits limits)
    {
        var max = (long)limits.MaxStringLength;
        var stringPrototype = engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        Wrap(engine, stringPrototype, "repeat", 1, (self, arguments) =>
            (long)TypeConverter.ToString(self).Length * (long)Math.Max(0, TypeConverter.ToIntegerOrInfinity(Argument(arguments, 0))));
        Wrap(engine, stringPrototype, "padStart", 1, (_, arguments) => (long)Math.Max(0, TypeConverter.ToIntegerOrInfinity(Argument(arguments, 0))));
        Wrap(engine, stringPrototype, "padEnd", 1, (_, arguments) => (long)Math.Max(0, TypeConverter.ToIntegerOrInfinity(Argument(arguments, 0))));
        Wrap(engine, stringPrototype, "replaceAll", 2, (self, arguments) => ReplaceAllLength(self, arguments));
        Wrap(engine, stringPrototype, "concat", 1, (self, arguments) =>
            TypeConverter.ToString(self).Length + arguments.Sum(argument => argument.IsString() ? (long)argument.AsString().Length : 32L));
        Wrap(engine, engine.Intrinsics.Array.PrototypeObject, "join", 1, (self, arguments) => JoinLength(self, arguments, limits.MaxArraySize));
        Wrap(engine, engine.Intrinsics.Array.PrototypeObject, "toLocaleString", 0, (self, _) => JoinLength(self, [], limits.MaxArraySize));
        Wrap(engine, engine.Global.Get("String").AsObject(), "raw", 1, (_, arguments) => RawLength(arguments, max));

        BoundedJson.Attach(engine);
        var json = BoundedJson.For(engine);
        engine.Global.Get("JSON").AsObject().FastSetProperty("stringify", new Jint.Runtime.Descriptors.PropertyDescriptor(
            new ClrFunction(engine, "stringify", (_, arguments) =>
                json.Stringify(Argument(arguments, 0), Argument(arguments, 1), Argument(arguments, 2), max,
                    () => new SandboxLimitException(SandboxLimit.StringLength, $"JSON.stringify would write more than {max:N0} characters")), 3),
            writable: true, enumerable: false, configurable: true));

        void Wrap(JintEngine target, ObjectInstance prototype, string name, int length, Func<JsValue, JsValue[], long> resultLength)
        {
            var original = prototype.Get(name);
            prototype.FastSetProperty(name, new Jint.Runtime.Descriptors.PropertyDescriptor(new ClrFunction(target, name, (self, arguments) =>
            {
                var estimated = resultLength(self, arguments);
                if (estimated > max)
                {
                    throw new SandboxLimitException(SandboxLimit.StringLength, $"{name} would build a string of {estimated:N0} characters");
                }

                return target.Call(original, self, arguments);
            }, length), writable: true, enumerable: false, configurable: true));
        }
    }

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

    /// <summary>
    /// An upper bound: string elements by length, anything else as up to 32 characters, plus separators. An array-like
    /// longer than the array limit is refused before its elements are read: <c>join.call({ length: 1e9 }, '')</c> would
    /// otherwise loop a billion times here, and again in Jint's join.
    /// </summary>
    private static long JoinLength(JsValue self, JsValue[] arguments, uint maxArraySize)
    {
        if (self is not ObjectInstance array)
        {
            return 0;
        }

        var count = (long)TypeConverter.ToLength(array.Get("length"));
        if (count > maxArraySize)
        {
            throw new SandboxLimitException(SandboxLimit.ArraySize, $"join would read {count:N0} elements, over the array limit of {maxArraySize:N0}");
        }

        var separator = Argument(arguments, 0).IsUndefined() ? 1 : TypeConverter.ToString(Argument(arguments, 0)).Length;
        long total = Math.Max(0, count - 1) * separator;
        for (var index = 0L; index < count && total <= int.MaxValue; index++)
        {
            var element = array.Get(index);
            total += element.IsString() ? element.AsString().Length : element.IsNull() || element.IsUndefined() ? 0 : 32;
        }

        return total;
    }

    /// <summary>
    /// <c>String.raw(template, ...substitutions)</c>: the raw segments plus a substitution between each two,
    /// strings by length and anything else as up to 32 characters.
    /// </summary>
    private static long RawLength(JsValue[] arguments, long max)
    {
        if (Argument(arguments, 0) is not ObjectInstance template || template.Get("raw") is not ObjectInstance raw)
        {
            return 0;
        }

        var count = (long)TypeConverter.ToLength(raw.Get("length"));
        if (count > max)
        {
            return count;
        }

        long total = 0;
        for (var index = 0L; index < count && total <= max; index++)
        {
            total += LengthOf(raw.Get(index));
            if (index + 1 < count && index + 1 < arguments.Length)
            {
                total += LengthOf(arguments[index + 1]);
            }
        }

        return total;
    }

    private static long LengthOf(JsValue value) => value.IsString() ? value.AsString().Length : 32;

    /// <summary>For a string pattern, the exact result length; for a regular expression, the input's length (checked again by the memory limit).</summary>
    private static long ReplaceAllLength(JsValue self, JsValue[] arguments)
    {
        var text = TypeConverter.ToString(self);
        var pattern = Argument(arguments, 0);
        var replacement = Argument(arguments, 1);
        if (!pattern.IsString() || !replacement.IsString())
        {
            return text.Length;
        }

        var search = pattern.AsString();
        long occurrences = 0;
        for (var at = text.IndexOf(search, StringComparison.Ordinal); at >= 0 && search.Length > 0; at = text.IndexOf(search, at + search.Length, StringComparison.Ordinal))
        {
            occurrences++;
        }

        if (search.Length == 0)
        {
            occurrences = text.Length + 1;
        }

        return text.Length + occurrences * (replacement.AsString().Length - search.Length);
    }
}
