using Acornima.Ast;

namespace RulesMfa.Engine.Compilation;

/// <summary>A parsed rule and the name of its function (null for an Action).</summary>
internal sealed record CachedScript(Prepared<Script> Script, string? FunctionName);
