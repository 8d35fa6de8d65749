using Jint.Native;
using Jint.Native.Object;
using Jint.Native.RegExp;
using Jint.Native.Symbol;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The <c>RegExp</c> a rule sees: Jint's own, except that the pattern is read once, turned into a string, and
/// measured (<see cref="RegexSourceLimit"/>) before Jint parses it. Jint is only ever handed that string, so a
/// getter or <c>toString</c> that answers differently the second time cannot slip a longer pattern past the check.
/// <c>new</c>, calls, subclasses and <c>instanceof</c> behave as with Jint's (the prototype is the same object);
/// the static accessors (<c>RegExp.$1</c>, <c>lastMatch</c>...) are forwarded to Jint's constructor.
/// </summary>
internal sealed class BoundedRegExpConstructor : Constructor
{
    private readonly RegExpConstructor native;
    private readonly RegexSourceLimit limit;

    public BoundedRegExpConstructor(JintEngine engine, RegexSourceLimit limit)
        : base(engine, "RegExp")
    {
        native = engine.Intrinsics.RegExp;
        this.limit = limit;
        foreach (var (key, descriptor) in native.GetOwnProperties().ToList())
        {
            DefineOwnProperty(key, Forwarded(engine, key, descriptor));
        }
    }

    protected override JsValue Call(JsValue thisObject, JsValue[] arguments)
    {
        // RegExp(re) without new and without flags returns re itself when re.constructor is RegExp (ECMA-262 22.2.4.1).
        var pattern = arguments.At(0);
        if (IsRegExp(pattern) && arguments.At(1).IsUndefined() && ReferenceEquals(((ObjectInstance)pattern).Get("constructor"), this))
        {
            return pattern;
        }

        return Construct(arguments, this);
    }

    public override ObjectInstance Construct(JsValue[] arguments, JsValue newTarget)
    {
        var pattern = arguments.At(0);
        var flags = arguments.At(1);
        JsValue source;
        if (pattern is JsRegExp regExp && IsRegExp(pattern))
        {
            source = regExp.Source;
            flags = flags.IsUndefined() ? regExp.Flags : flags;
        }
        else if (IsRegExp(pattern))
        {
            source = ((ObjectInstance)pattern).Get("source");
            flags = flags.IsUndefined() ? ((ObjectInstance)pattern).Get("flags") : flags;
        }
        else
        {
            source = pattern;
        }

        var checkedSource = source.IsUndefined() ? source : limit.Check(TypeConverter.ToString(source));
        return native.Construct([checkedSource, flags], ReferenceEquals(newTarget, this) ? native : newTarget);
    }

    /// <summary>IsRegExp of ECMA-262 7.2.6: an object whose <c>Symbol.match</c> is truthy, or a RegExp without one.</summary>
    public static bool IsRegExp(JsValue value)
    {
        if (value is not ObjectInstance candidate)
        {
            return false;
        }

        var matcher = candidate.Get(GlobalSymbolRegistry.Match);
        return matcher.IsUndefined() ? candidate is JsRegExp : TypeConverter.ToBoolean(matcher);
    }

    /// <summary>
    /// Jint's static accessors check that they are called on Jint's constructor; Node's take any receiver (a subclass,
    /// any object), so they are forwarded with Jint's constructor as <c>this</c> whatever they are called on.
    /// <c>Symbol.species</c> answers <c>this</c> and is kept as it is, so <c>split</c> and <c>matchAll</c> build their
    /// copies through this constructor.
    /// </summary>
    private PropertyDescriptor Forwarded(JintEngine engine, JsValue key, PropertyDescriptor descriptor)
    {
        if (!descriptor.IsAccessorDescriptor() || ReferenceEquals(key, GlobalSymbolRegistry.Species))
        {
            return descriptor;
        }

        // Named and sized as Node names its own (get $1, set $1). Node gives every one a setter; where Jint has none
        // ($1, lastMatch...), assigning is ignored, as in Node, in strict mode too (no setter would be a TypeError).
        JsValue Forward(JsValue? accessor, string kind, int length) => accessor is null || accessor.IsUndefined() ? JsValue.Undefined
            : new ClrFunction(engine, $"{kind} {key}", (_, arguments) => engine.Call(accessor, native, arguments), length);
        var setter = descriptor.Set is { } set && !set.IsUndefined() ? Forward(set, "set", 1)
            : new ClrFunction(engine, $"set {key}", (_, _) => JsValue.Undefined, 1);
        return new GetSetPropertyDescriptor(Forward(descriptor.Get, "get", 0), setter, descriptor.Enumerable, descriptor.Configurable);
    }
}
