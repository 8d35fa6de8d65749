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

    /// <summary>
    /// Empties the statics; false when the match kept timing out. It is trivially short, but the engine's regex timeout
    /// counts wall-clock time, so a thread descheduled on a loaded machine can exceed it: tried a few times, and a caller
    /// that still gets false discards the engine rather than fail a login.
    /// </summary>
    public static bool Clear(JintEngine engine)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var script = EmptyMatch;
                engine.Evaluate(in script);
                return true;
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
            }
        }

        return false;
    }
}
