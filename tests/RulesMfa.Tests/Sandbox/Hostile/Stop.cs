using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>How a hostile rule may acceptably end: a trace status and, for a limit, which one (null: any).</summary>
internal sealed record Stop(RuleStatus Status, SandboxLimit? Limit = null)
{
    public static Stop Timeout { get; } = new(RuleStatus.Timeout);

    /// <summary>A thrown error (TypeError, ReferenceError, RangeError): the rule's own error, which denies.</summary>
    public static Stop Error { get; } = new(RuleStatus.Error);

    public static Stop AnyLimit { get; } = new(RuleStatus.Limit);

    public static Stop Statements { get; } = new(RuleStatus.Limit, SandboxLimit.Statements);

    public static Stop Memory { get; } = new(RuleStatus.Limit, SandboxLimit.Memory);

    public static Stop Recursion { get; } = new(RuleStatus.Limit, SandboxLimit.Recursion);

    public static Stop Regex { get; } = new(RuleStatus.Limit, SandboxLimit.Regex);

    public static Stop ArraySize { get; } = new(RuleStatus.Limit, SandboxLimit.ArraySize);

    /// <summary>A capped builtin refused to build a string (or JSON) longer than the limit, before building it.</summary>
    public static Stop StringLength { get; } = new(RuleStatus.Limit, SandboxLimit.StringLength);

    public static Stop OutputSize { get; } = new(RuleStatus.Limit, SandboxLimit.OutputSize);

    /// <summary>The promise-reaction budget: a flood of <c>then</c> or <c>await</c> stops after a bounded number of jobs.</summary>
    public static Stop PromiseReactions { get; } = new(RuleStatus.Limit, SandboxLimit.PromiseReactions);

    /// <summary>
    /// A builtin amplifier (one call that allocates or loops far past the budget) may be stopped by a cap on the
    /// builtin (a RangeError, or a limit of its own kind), by the memory or array limit after the call, or by time.
    /// </summary>
    public static Stop[] CapOrLimit { get; } = [AnyLimit, Timeout, Error];

    /// <summary>A busy loop: the statement count or the clock, whichever comes first on a busy machine.</summary>
    public static Stop[] Spin { get; } = [Statements, Timeout];

    /// <summary>
    /// Loops that allocate on every turn (promise jobs, argument arrays): which of the statement, time or memory
    /// limit fires first depends on the machine's speed; all three contain the attack.
    /// </summary>
    public static Stop[] SpinOrAllocate { get; } = [Statements, Timeout, Memory];

    public bool Matches(RuleTrace trace) => trace.Status == Status && (Limit is null || trace.Limit == Limit);

    public override string ToString() => Limit is null ? Status.ToString() : $"{Status} ({Limit})";
}
