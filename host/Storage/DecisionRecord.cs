namespace RulesMfa.Host.Storage;

/// <summary>One login's decision with the input the rules saw, for the console (replay, compare) and the admins' log.</summary>
public sealed class DecisionRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset At { get; set; }

    public string? ClientId { get; set; }

    public required string Protocol { get; set; }

    /// <summary>The login in the Rules view (<c>{"user": ..., "context": ...}</c>).</summary>
    public required string InputJson { get; set; }

    /// <summary>The <c>MfaDecision</c> as the CLI prints it.</summary>
    public required string DecisionJson { get; set; }

    /// <summary>The decision's outcome (<c>allow</c>, <c>mfa</c>, <c>deny</c>), for filtering the log; null in records written before it was kept.</summary>
    public string? Outcome { get; set; }

    /// <summary>What the tenant policy made of it: the plan's kind and reason.</summary>
    public required string Plan { get; set; }
}
