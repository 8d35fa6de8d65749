using Acornima.Ast;

namespace RulesMfa.Engine.Compilation;

/// <summary>A parsed, validated rule: immutable and shareable between engines and threads.</summary>
public sealed record CompiledRule(string Id, string Name, RuleKind Kind, string VersionHash, Prepared<Script> Script)
{
    /// <summary>How messages name it: <c>Rule 'id'</c> or <c>Action 'id'</c>.</summary>
    public string Label => $"{(Kind == RuleKind.Action ? "Action" : "Rule")} '{Id}'";
}
