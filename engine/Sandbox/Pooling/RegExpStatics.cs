using System.Runtime.CompilerServices;
using Jint.Native.RegExp;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// <c>RegExp.$1</c>...<c>$9</c>, <c>input</c>, <c>lastMatch</c>, <c>leftContext</c>, <c>rightContext</c>: every
/// successful match writes them into the engine, so on a reused engine the next login read the previous login's
/// subject (a user's email). Jint 4.18 empties them with an internal method of its <c>RegExp</c> constructor (its own
/// global snapshots call it); called here directly, it costs a few field writes where a match of the empty pattern
/// allocated a result and could time out on a loaded machine. A Jint upgrade that renames it fails at the first
/// reused engine (<see cref="MissingMethodException"/>), loudly, and the leak tests with it.
/// </summary>
internal static class RegExpStatics
{
    public static void Clear(JintEngine engine) => ResetLegacyProperties(engine.Intrinsics.RegExp);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "ResetLegacyProperties")]
    private static extern void ResetLegacyProperties(RegExpConstructor regExp);
}
