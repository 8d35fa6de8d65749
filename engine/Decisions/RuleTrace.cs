using System.Text.Json.Serialization;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Decisions;

/// <summary>One rule's line in the decision's trace.</summary>
public sealed record RuleTrace(
    string Id,
    string Name,
    RuleKind Kind,
    string VersionHash,
    RuleStatus Status,
    double DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SandboxLimit? Limit = null);
