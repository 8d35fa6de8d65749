using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// How a hostile rule may acceptably end: a trace status, for a limit which one (null: any), and a fragment of the
/// reason the decision gives (null: any), so that a test names the protection that stopped the attack.
/// </summary>
internal sealed record Stop(RuleStatus Status, SandboxLimit? Limit = null, string? Reason = null)
{
    public static Stop Timeout { get; } = new(RuleStatus.Timeout);

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

    /// <summary>A busy loop: the statement count or the clock, whichever comes first on a busy machine.</summary>
    public static Stop[] Spin { get; } = [Statements, Timeout];

    /// <summary>
    /// Loops that allocate on every turn (promise jobs, argument arrays): which of the statement, time or memory
    /// limit fires first depends on the machine's speed; all three contain the attack.
    /// </summary>
    public static Stop[] SpinOrAllocate { get; } = [Statements, Timeout, Memory];

    /// <summary>
    /// A JavaScript error the protection throws (the rule does not catch it, so it denies as the rule's own error),
    /// named by its message: a removed global, disabled string compilation, a frozen object, a size cap. Any other
    /// error, Jint's own after the damage or an internal error of the engine, does not match.
    /// </summary>
    public static Stop Thrown(string message) => new(RuleStatus.Error, Reason: message);

    /// <summary>This stop, with the decision's reason required to contain <paramref name="reason"/> (which cap, which output).</summary>
    public Stop Saying(string reason) => this with { Reason = reason };

    public bool Matches(MfaDecision decision, RuleTrace trace) =>
        trace.Status == Status
        && (Limit is null || trace.Limit == Limit)
        && (Reason is null || decision.Error?.Description.Contains(Reason, StringComparison.Ordinal) == true);

    public override string ToString() =>
        (Limit is null ? Status.ToString() : $"{Status} ({Limit})") + (Reason is null ? "" : $" saying \"{Reason}\"");
}
