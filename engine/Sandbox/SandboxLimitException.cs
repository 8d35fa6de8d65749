using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>A limit of ours (not Jint's) that a rule broke. A CLR exception, so a rule cannot catch it.</summary>
internal sealed class SandboxLimitException(SandboxLimit limit, string what) : Exception(what)
{
    public SandboxLimit Limit { get; } = limit;
}
