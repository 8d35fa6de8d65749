using Jint.Native;
using Jint.Native.Object;
using Jint.Native.Symbol;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Every way a rule can turn a string into a regular expression goes through <see cref="RegexSourceLimit"/>:
/// the <c>RegExp</c> constructor (<see cref="BoundedRegExpConstructor"/>, also as <c>RegExp.prototype.constructor</c>,
/// so species constructors use it), <c>RegExp.prototype.compile</c>, and <c>String.prototype.match</c>,
/// <c>matchAll</c> and <c>search</c> given a string. Literals are checked when the rule is compiled.
/// </summary>
internal static class RegexCaps
{
    public static void Install(JintEngine engine, SandboxLimits limits)
    {
        var limit = new RegexSourceLimit(limits.MaxRegexLength);
        var bounded = new BoundedRegExpConstructor(engine, limit);
        var regExpPrototype = engine.Intrinsics.RegExp.Get("prototype").AsObject();
        engine.Global.FastSetProperty("RegExp", new PropertyDescriptor(bounded, writable: true, enumerable: false, configurable: true));
        regExpPrototype.FastSetProperty("constructor", new PropertyDescriptor(bounded, writable: true, enumerable: false, configurable: true));

        Wrap(engine, regExpPrototype, "compile", 2, (original, self, arguments) =>
        {
            // A RegExp pattern lends its own (already checked) source; anything else is measured as the string Jint will parse.
            var pattern = arguments.At(0);
            var source = pattern is JsRegExp || pattern.IsUndefined() ? pattern : limit.Check(TypeConverter.ToString(pattern));
            return engine.Call(original, self, [source, arguments.At(1)]);
        });

        var stringPrototype = engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        Wrap(engine, stringPrototype, "match", 1, (original, self, arguments) =>
            Dispatch(engine, limit, original, self, arguments.At(0), GlobalSymbolRegistry.Match, requireGlobal: false));
        Wrap(engine, stringPrototype, "matchAll", 1, (original, self, arguments) =>
            Dispatch(engine, limit, original, self, arguments.At(0), GlobalSymbolRegistry.MatchAll, requireGlobal: true));
        Wrap(engine, stringPrototype, "search", 1, (original, self, arguments) =>
            Dispatch(engine, limit, original, self, arguments.At(0), GlobalSymbolRegistry.Search, requireGlobal: false));
    }

    /// <summary>
    /// <c>String.prototype.match</c> (and <c>matchAll</c>, <c>search</c>) as ECMA-262 22.1.3 dispatches it: an object
    /// with a matcher method is asked directly, here, so Jint never reads the method a second time; anything else is
    /// turned into a string once, measured, and handed to Jint's builtin as that string.
    /// </summary>
    private static JsValue Dispatch(JintEngine engine, RegexSourceLimit limit, JsValue original, JsValue self, JsValue regexp, JsSymbol method, bool requireGlobal)
    {
        if (self.IsNullOrUndefined())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "String.prototype method called on null or undefined");
        }

        if (regexp.IsNullOrUndefined())
        {
            return engine.Call(original, self, [regexp]);
        }

        if (regexp is ObjectInstance candidate)
        {
            if (requireGlobal && BoundedRegExpConstructor.IsRegExp(candidate))
            {
                var flags = candidate.Get("flags");
                if (flags.IsNullOrUndefined() || !TypeConverter.ToString(flags).Contains('g', StringComparison.Ordinal))
                {
                    throw new JavaScriptException(engine.Intrinsics.TypeError, "String.prototype.matchAll called with a non-global RegExp argument");
                }
            }

            var matcher = candidate.Get(method);
            if (!matcher.IsNullOrUndefined())
            {
                return matcher.IsCallable()
                    ? engine.Call(matcher, candidate, [self])
                    : throw new JavaScriptException(engine.Intrinsics.TypeError, $"{method} is not a function");
            }
        }

        return engine.Call(original, self, [limit.Check(TypeConverter.ToString(regexp))]);
    }

    private static bool IsNullOrUndefined(this JsValue value) => value.IsNull() || value.IsUndefined();

    private static void Wrap(JintEngine engine, ObjectInstance target, string name, int length, Func<JsValue, JsValue, JsValue[], JsValue> body)
    {
        var original = target.Get(name);
        target.FastSetProperty(name, new PropertyDescriptor(
            new ClrFunction(engine, name, (self, arguments) => body(original, self, arguments), length),
            writable: true, enumerable: false, configurable: true));
    }
}
