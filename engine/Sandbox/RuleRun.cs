using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// How one rule's run ended. A rule's own deny or error always denies; a fault (time, a limit, an error of
/// ours) is handed to the tenant's fail mode.
/// </summary>
internal sealed record RuleRun(RuleStatus Status, DecisionError? RuleError = null, string? FaultDescription = null, SandboxLimit? Limit = null)
{
    public static readonly RuleRun Ok = new(RuleStatus.Ok);

    public bool IsFault => FaultDescription is not null;

    public static RuleRun Denied(DecisionError error) => new(RuleStatus.Denied, RuleError: error);

    public static RuleRun Errored(DecisionError error) => new(RuleStatus.Error, RuleError: error);

    public static RuleRun Faulted(RuleStatus status, string description, SandboxLimit? limit = null) =>
        new(status, FaultDescription: description, Limit: limit);
}
