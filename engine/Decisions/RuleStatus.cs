namespace RulesMfa.Engine.Decisions;

/// <summary>How one rule's run ended.</summary>
public enum RuleStatus
{
    /// <summary>It completed (called back without an error, or its Action settled).</summary>
    Ok,

    /// <summary>It denied on purpose: <c>callback(err)</c> or <c>api.access.deny</c>.</summary>
    Denied,

    /// <summary>It threw or its promise rejected; or an error of ours happened while it ran.</summary>
    Error,

    /// <summary>It ran out of time, or never called back and had nothing left to run.</summary>
    Timeout,

    /// <summary>It broke a sandbox limit; <see cref="RuleTrace.Limit"/> names which.</summary>
    Limit,

    /// <summary>It was not reached because an earlier rule denied or faulted.</summary>
    Skipped,
}
