namespace RulesMfa.Host.Storage;

/// <summary>
/// One attempt counter shared by every host: a token bucket for wrong MFA codes (per user and factor) or a
/// failure counter with a growing block for passwords (per account and per IP). <see cref="Version"/> makes
/// concurrent updates from several requests or hosts fail and retry instead of overwriting each other.
/// </summary>
public sealed class ThrottleRecord
{
    /// <summary>What is counted, e.g. <c>code:{userId}</c> (every code factor and the recovery code of a user share it), <c>password-account:{tenant}:{email}</c>, <c>password-ip:{tenant}:{ip}</c>.</summary>
    public required string Key { get; set; }

    /// <summary>Tokens left in a bucket.</summary>
    public double Tokens { get; set; }

    /// <summary>Consecutive failures (password counters).</summary>
    public int Failures { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>No attempt is accepted before this time.</summary>
    public DateTimeOffset? BlockedUntil { get; set; }

    public long Version { get; set; }
}
