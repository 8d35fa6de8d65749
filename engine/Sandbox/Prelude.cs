using Acornima.Ast;

namespace RulesMfa.Engine.Sandbox;

/// <summary>Globals that are simplest written in JavaScript, parsed once for all engines.</summary>
internal static class Prelude
{
    public static readonly Prepared<Script> UnauthorizedError = JintEngine.PrepareScript(
        """
        (class UnauthorizedError extends Error {
          constructor(message) { super(message); this.name = 'UnauthorizedError'; }
        })
        """,
        "rulesmfa-prelude");
}
