using Acornima.Ast;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// <c>RegExp.$1</c>...<c>$9</c>, <c>input</c>, <c>lastMatch</c>, <c>leftContext</c>, <c>rightContext</c>: every
/// successful match writes them into the engine, so on a reused engine the next login read the previous login's
/// subject (a user's email). Jint 4.18 has no way to reset them but a match: one of the empty pattern on the
/// empty string leaves every one of them empty.
/// </summary>
internal static class RegExpStatics
{
    private static readonly Prepared<Script> EmptyMatch = JintEngine.PrepareScript("/^/.exec('')", "rulesmfa-regexp-statics");

    public static void Clear(JintEngine engine)
    {
        var script = EmptyMatch;
        engine.Evaluate(in script);
    }
}
