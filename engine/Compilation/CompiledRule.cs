using Acornima.Ast;

namespace RulesMfa.Engine.Compilation;

/// <summary>A parsed, validated rule: immutable and shareable between engines and threads.</summary>
public sealed record CompiledRule(string Id, string Name, RuleKind Kind, string VersionHash, Prepared<Script> Script);
