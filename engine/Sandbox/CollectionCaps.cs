using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// <c>Set</c> and <c>Map</c> builtins that hash every element of an iterable in one call, without returning to the
/// interpreter: hashing a one-megabyte string took about 3 ms on a loaded machine, so <c>new Set(new Array(2000).fill(s))</c>
/// ran 6.9 s, and <c>union</c> with a set-like object whose <c>keys()</c> is that array's iterator as long, against a
/// 250 ms limit (measured at default limits). The constructors add through <c>add</c> and <c>set</c>, which check the
/// deadline and memory limit first; the set methods of ES2025 see the other set through a view whose <c>has</c> and
/// whose iterator's <c>next</c> check them at every element (which also takes them off Jint's native fast paths for a
/// real <c>Set</c>, where the work is one .NET <c>HashSet</c> call).
/// </summary>
internal static class CollectionCaps
{
    private static readonly string[] SetMethods =
        ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"];

    public static void Install(JintEngine engine)
    {
        var watch = ArrayCaps.Watch(engine);
        var setPrototype = engine.Intrinsics.Set.Get("prototype").AsObject();
        var mapPrototype = engine.Intrinsics.Map.Get("prototype").AsObject();
        WatchEachCall(engine, watch, setPrototype, "add", 1);
        WatchEachCall(engine, watch, mapPrototype, "set", 2);
        foreach (var name in SetMethods)
        {
            var original = setPrototype.Get(name);
            Replace(engine, setPrototype, name, 1, (self, arguments) => engine.Call(original, self, [WatchedView(engine, watch, arguments.At(0))]));
        }
    }

    private static void WatchEachCall(JintEngine engine, Action watch, ObjectInstance prototype, string name, int length)
    {
        var original = prototype.Get(name);
        Replace(engine, prototype, name, length, (self, arguments) =>
        {
            watch();
            return engine.Call(original, self, arguments);
        });
    }

    /// <summary>
    /// The set record's three fields (<c>size</c>, <c>has</c>, <c>keys</c>), read once in the order ECMA-262's
    /// GetSetRecord reads them, with <c>has</c> and the keys iterator's <c>next</c> checking the limits per element.
    /// A value that is not an object, or fields that are not callable, are handed on for the builtin to refuse.
    /// </summary>
    private static JsValue WatchedView(JintEngine engine, Action watch, JsValue other)
    {
        if (other is not ObjectInstance set)
        {
            return other;
        }

        var size = set.Get("size");
        var has = set.Get("has");
        var keys = set.Get("keys");
        var view = new JsObject(engine);
        view.Set("size", size);
        view.Set("has", has.IsCallable() ? Function(engine, "has", 1, (_, arguments) =>
        {
            watch();
            return engine.Call(has, set, arguments);
        }) : has);
        view.Set("keys", keys.IsCallable() ? Function(engine, "keys", 0, (_, _) => WatchedIterator(engine, watch, engine.Call(keys, set, []))) : keys);
        return view;
    }

    private static JsValue WatchedIterator(JintEngine engine, Action watch, JsValue iterator)
    {
        if (iterator is not ObjectInstance source)
        {
            return iterator;
        }

        var next = source.Get("next");
        var watched = new JsObject(engine);
        watched.Set("next", next.IsCallable() ? Function(engine, "next", 0, (_, arguments) =>
        {
            watch();
            return engine.Call(next, source, arguments);
        }) : next);
        var close = source.Get("return");
        if (close.IsCallable())
        {
            watched.Set("return", Function(engine, "return", 0, (_, arguments) => engine.Call(close, source, arguments)));
        }

        return watched;
    }

    private static ClrFunction Function(JintEngine engine, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        new(engine, name, body, length);

    private static void Replace(JintEngine engine, ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        target.FastSetProperty(name, new PropertyDescriptor(new ClrFunction(engine, name, body, length), writable: true, enumerable: false, configurable: true));
}
