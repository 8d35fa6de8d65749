using Acornima.Ast;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Engine.Compilation;

/// <summary>
/// Refuses, when a rule is compiled, the literals whose cost no limit could stop at run time: a regular expression
/// longer than <see cref="SandboxLimits.DefaultMaxRegexLength"/> (Jint builds a literal's regex on its first run in the
/// process and keeps it, so it would cost time and memory on one login and not the next; patterns built at run time
/// are checked against the tenant's own limit), and a BigInt (the sandbox has none: see <see cref="LoginGlobals"/>).
/// </summary>
internal static class LiteralLimits
{
    public static void Validate(RuleSource source, RuleWrapper wrapper, Script program)
    {
        var pending = new Stack<Node>([program]);
        while (pending.TryPop(out var node))
        {
            var problem = node switch
            {
                RegExpLiteral regex when regex.RegExp.Pattern.Length > SandboxLimits.DefaultMaxRegexLength =>
                    $"a regular expression literal of {regex.RegExp.Pattern.Length:N0} characters is longer than the limit of {SandboxLimits.DefaultMaxRegexLength:N0}",
                BigIntLiteral => "BigInt is not available to rules",
                _ => null,
            };
            if (problem is not null)
            {
                var (line, column) = wrapper.Unwrap(node.Location.Start.Line, node.Location.Start.Column + 1);
                throw new RuleCompilationException(source.Id, source.FilePath, line, column, problem);
            }

            // Pushed last to first, so the first offending literal in the text is the one reported.
            foreach (var child in node.ChildNodes.Reverse())
            {
                pending.Push(child);
            }
        }
    }
}
