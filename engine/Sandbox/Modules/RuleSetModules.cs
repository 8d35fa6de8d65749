using Acornima.Ast;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// What a rule set needs from modules, read from its syntax trees: whether it can reach <c>require</c> (or the
/// <c>uuid</c> global, a module too) at all, and which module names it requires by a string literal.
/// </summary>
internal sealed record RuleSetModules(bool UsesModules, IReadOnlyList<string> Names)
{
    private static readonly HashSet<string> ModuleGlobals = ["require", "uuid"];

    public static RuleSetModules Of(IEnumerable<CompiledRule> rules)
    {
        var usesModules = false;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var pending = new Stack<Node>([rule.Script.Program!]);
            while (pending.TryPop(out var node))
            {
                switch (node)
                {
                    case Identifier identifier when ModuleGlobals.Contains(identifier.Name):
                        usesModules = true;
                        if (identifier.Name == "uuid")
                        {
                            names.Add("uuid");
                        }

                        break;
                    case CallExpression { Callee: Identifier { Name: "require" }, Arguments: [StringLiteral name, ..] }:
                        names.Add(name.Value);
                        break;
                }

                foreach (var child in node.ChildNodes)
                {
                    pending.Push(child);
                }
            }
        }

        return new RuleSetModules(usesModules, names.ToList());
    }
}
